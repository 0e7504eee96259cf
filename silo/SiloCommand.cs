using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using HpBandSter.Objectives;
using HpBandSter.Orleans.Objectives;
using Microsoft.Extensions.Configuration;
using HpBandSter.Orleans.PostgreSql;
using Microsoft.Extensions.Logging;

namespace HpBandSter.Silo;

/// <summary>
/// The <c>hpbandster-silo</c> command line. Every option may also come from an environment variable
/// <c>HPBANDSTER_&lt;OPTION&gt;</c> (for example <c>HPBANDSTER_SLOTS</c>) or from the configuration file
/// (<c>--config</c>, default <c>./appsettings.json</c> when it exists) as <c>HpBandSter:&lt;Option&gt;</c> (for example
/// <c>"HpBandSter": { "Slots": 4 }</c>). Precedence: command line, then environment, then file, then the default.
/// Values from every place are checked the same way, and an invalid one is a usage error naming the option and where
/// it came from (exit code 2). Command objectives are configured in the file (<c>HpBandSter:CommandObjectives</c>) or by
/// variables such as <c>HPBANDSTER_CommandObjectives__train__Executable</c> (see <see cref="CommandObjectiveSettings"/>).
/// </summary>
internal static class SiloCommand
{
    /// <summary>Exit code for invalid arguments (a usage error).</summary>
    public const int UsageError = 2;

    private const string Name = "hpbandster-silo";

    /// <summary>How long a worker-mode silo without an idle timeout tries to join by default.</summary>
    private static readonly TimeSpan DefaultWorkerJoinTimeout = TimeSpan.FromMinutes(2);

    private static readonly Option<string> Clustering = Create("--clustering", "name", "How silos find each other: 'localhost' (development clustering on one machine; the membership table lives on the primary silo) or 'postgres' (membership in PostgreSQL, see --postgres; the schema is created at start if missing). Default: localhost.");
    private static readonly Option<string> ConfigFile = Create("--config", "file", "JSON configuration file (appsettings.json format): options as \"HpBandSter\": { \"Slots\": 4, \"SiloPort\": 11111, ... } and command objectives under \"HpBandSter\": { \"CommandObjectives\": { \"name\": { \"Executable\": ..., \"Arguments\": [...] } } }. Command objectives may also come from the environment, in .NET's form: HPBANDSTER_CommandObjectives__NAME__Executable=/usr/bin/python3, HPBANDSTER_CommandObjectives__NAME__Arguments__0=train.py (a variable overrides the file's value of the same key). The command line wins over the environment, the environment over the file. Default: ./appsettings.json if it exists, else none.");
    private static readonly Option<string> Address = Create("--address", "ip", "IP address this silo listens on and advertises; the primary silo is reached at the same address. Not with --interface. Default: 127.0.0.1.");
    private static readonly Option<string> Interface = Create("--interface", "name", "Network interface (such as eth0 or ib0) whose address this silo listens on and advertises (its first IPv4 address, else its first IPv6 one); instead of --address. Default: none (--address).");
    private static readonly Option<string> SiloPort = Create("--silo-port", "port", "Port for silo-to-silo traffic. Default: 11111.");
    private static readonly Option<string> GatewayPort = Create("--gateway-port", "port", "Port clients connect to. Default: 30000.");
    private static readonly Option<string> PrimaryPort = Create("--primary-port", "port", "Silo port of the primary silo (localhost clustering only); the silo whose --silo-port equals it is the primary. Default: 11111.");
    private static readonly Option<string> Postgres = Create("--postgres", "connection-string", "PostgreSQL connection string for --clustering postgres, such as \"Host=db;Port=5432;Database=hpbandster;Username=hpbandster;Password=...\" (better given by HPBANDSTER_POSTGRES, which other users cannot read from the process list). The password is never printed. No default.");
    private static readonly Option<string> ClusterId = Create("--cluster-id", "id", "Orleans cluster id; silos and clients of one cluster share it. Default: hpbandster.");
    private static readonly Option<string> ServiceId = Create("--service-id", "id", "Orleans service id. A silo brings back after a crash only the runs of its service id: keep it when you restart a cluster, and give two clusters that share a database different ones. Default: hpbandster.");
    private static readonly Option<string> Slots = Create("--slots", "count", "Evaluations this silo runs at once; 0 makes a silo that only hosts runs. Default: the processor count.");
    private static readonly Option<string> ObjectiveNames = Create("--objectives", "names", $"Comma-separated built-in objectives this silo offers, or 'none' (for a silo of command or plugin objectives only). Default: all ({string.Join(",", BenchmarkObjectives.All.Select(o => o.Name))}).");
    private static readonly Option<string> DataDirectory = Create("--data-dir", "path", "Directory for job working directories (jobs/<run>/...) and, without PostgreSQL, the run store runs.db. Relative to the current directory. Default: ./hpbandster-data.");
    private static readonly Option<string> LogLevelOption = Create("--log-level", "level", "Console log level (to stderr): trace, debug, information, warning, error, critical or none. Default: warning (Orleans is chatty below it).");
    private static readonly Option<string> TlsCertificate = Create("--tls-certificate", "pfx", "Turns on TLS for silo-to-silo and client connections: a PKCS#12 file (.pfx/.p12) with this node's certificate and private key. Every silo and client must present a certificate (mutual TLS) that validates against the machine's trusted roots or is this very certificate (one self-signed certificate shared by the cluster). Default: none (plain TCP).");
    private static readonly Option<string> TlsCertificatePassword = Create("--tls-certificate-password", "password", "Password of the --tls-certificate file (better given by HPBANDSTER_TLS_CERTIFICATE_PASSWORD, which other users cannot read from the process list). Never printed. Default: none.");
    private static readonly Option<string> IdleTimeout = Create("--idle-timeout", "seconds", "Stop by itself (gracefully, leaving the cluster) after this many seconds without an evaluation, to release the node near the end of a run (HpBandSter's Worker(timeout=...)). Default: never.");
    private static readonly Option<string> WorkerMode = Create("--worker-mode", "true|false", "A worker started for runs: stop once a run that asks its workers to shut down (hpbandster run --shutdown-workers) has ended and nothing else is evaluated here (HpBandSter's shutdown(shutdown_workers=True)). Shared cluster silos leave it off. Default: false.");
    private static readonly Option<string> JoinTimeout = Create("--join-timeout", "seconds|none", $"Give up and exit with code 1 when this silo has not joined the cluster (become an active member) within this many seconds of starting, instead of retrying for minutes while the primary silo or the database is missing. 'none' waits as long as Orleans does. Default: for a --worker-mode silo its --idle-timeout, else {DefaultWorkerJoinTimeout.TotalSeconds:0} s; for other silos none.");
    private static readonly Option<string> OtlpEndpoint = Create("--otlp-endpoint", "url", "Export metrics (the meters HpBandSter.Orleans and Microsoft.Orleans) with OpenTelemetry's OTLP over HTTP/protobuf to this collector URL, e.g. http://collector:4318 (/v1/metrics is added when the URL has no path). The export interval follows OTEL_METRIC_EXPORT_INTERVAL (milliseconds; default 60000). Default: no export.");
    private static readonly Option<string> Dashboard = Create("--dashboard", "port|off", "Serve the Orleans Dashboard (grain and silo statistics, in a web browser) over plain HTTP on this port, at --dashboard-address. It has no authentication: keep it on 127.0.0.1 and reach it through an SSH tunnel (ssh -L 8080:127.0.0.1:PORT node), never on a public address. 'off' turns it off. Default: off (no HTTP listener at all).");
    private static readonly Option<string> DashboardAddress = Create("--dashboard-address", "ip", "IP address the dashboard (--dashboard) listens on. Default: 127.0.0.1 (this machine only).");
    private static readonly Option<string[]> Plugins = new("--plugin")
    {
        HelpName = "path",
        Description = "An assembly (.dll) of objectives to load, each in its own load context: every public class implementing IObjective with an [Objective(\"name\")] attribute is offered under that name. Repeat for several; HPBANDSTER_PLUGIN takes a list separated by ':' (';' on Windows), the file \"Plugins\": [...]. Relative paths in the file are relative to the file. Default: none.",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static readonly Option<string>[] All =
        [ConfigFile, Clustering, Postgres, Address, Interface, SiloPort, GatewayPort, PrimaryPort, ClusterId, ServiceId, Slots, ObjectiveNames, DataDirectory, LogLevelOption, TlsCertificate, TlsCertificatePassword, IdleTimeout, WorkerMode, JoinTimeout, OtlpEndpoint, Dashboard, DashboardAddress];

    /// <summary>Builds the root command (options only; <see cref="RunAsync"/> runs it).</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand(
            "hpbandster-silo: an Orleans silo that hosts HpBandSter runs and evaluates their jobs on built-in objectives, command objectives (external programs, configured in the file) and plugin objectives (--plugin). " +
            "Each option may also be set by the environment variable HPBANDSTER_<OPTION> (for example HPBANDSTER_SLOTS=4) or in the configuration file as \"HpBandSter\": { \"<Option>\": ... } (for example \"Slots\": 4). " +
            "Precedence: command line, then environment, then file, then the default. Command objectives (external programs) are configured in the file or by HPBANDSTER_CommandObjectives__NAME__SETTING variables; see docs/cluster.md.");
        foreach (var option in All)
        {
            root.Options.Add(option);
        }

        root.Options.Add(Plugins);
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the silo until SIGTERM or Ctrl+C. Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parseResult = BuildRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine($"error: {Describe(parseError)}");
            }

            return UsageErrorHint(error);
        }

        if (parseResult.Action is not null)
        {
            // --help, --version.
            return parseResult.Invoke(new InvocationConfiguration { Output = output, Error = error });
        }

        SiloSettings settings;
        try
        {
            var variables = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .Select(e => KeyValuePair.Create((string)e.Key, (string?)e.Value ?? string.Empty)).ToList();
            settings = Resolve(parseResult, Environment.GetEnvironmentVariable, variables);
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageErrorHint(error);
        }

        return await SiloHost.RunAsync(settings, output, error);
    }

    /// <summary>Settings from the command line, then the environment, then the configuration file, then the defaults; throws <see cref="UsageException"/>.</summary>
    public static SiloSettings Resolve(ParseResult parseResult, Func<string, string?> environment, IEnumerable<KeyValuePair<string, string>> variables)
    {
        var file = ConfigurationFile.Load(parseResult.GetValue(ConfigFile), environment(EnvironmentVariable(ConfigFile)), EnvironmentVariable(ConfigFile));

        string? Raw(Option<string> option, out string source) => RawAt(option, out source, out _);

        // Level 3: command line, 2: environment, 1: file, 0: not set.
        string? RawAt(Option<string> option, out string source, out int level)
        {
            if (parseResult.GetValue(option) is { } value)
            {
                source = option.Name;
                level = 3;
                return value;
            }

            var variable = EnvironmentVariable(option);
            if (environment(variable) is { } fromEnvironment)
            {
                source = $"{option.Name} (from {variable})";
                level = 2;
                return fromEnvironment;
            }

            var key = ConfigurationKey(option);
            if (file?.Value(key) is { } fromFile)
            {
                source = $"{option.Name} (from {key} in {file.Path})";
                level = 1;
                return fromFile;
            }

            source = option.Name;
            level = 0;
            return null;
        }

        var clusteringText = Raw(Clustering, out var source) ?? "localhost";
        var clustering = clusteringText.Trim().ToLowerInvariant() switch
        {
            "localhost" => ClusteringKind.Localhost,
            "postgres" or "postgresql" => ClusteringKind.Postgres,
            _ => throw new UsageException($"{source}: unknown clustering '{clusteringText}'; valid: localhost, postgres."),
        };

        var postgres = Raw(Postgres, out source);
        if (clustering == ClusteringKind.Postgres)
        {
            if (string.IsNullOrWhiteSpace(postgres))
            {
                throw new UsageException($"{Postgres.Name} (or {EnvironmentVariable(Postgres)}): --clustering postgres needs a PostgreSQL connection string, such as \"Host=db;Port=5432;Database=hpbandster;Username=hpbandster;Password=...\".");
            }

            try
            {
                PostgresConnectionText.Parse(postgres);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"{source}: {e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)}");
            }
        }
        else
        {
            // Not used (the run store may read the same variable); never kept where it could be printed.
            postgres = null;
        }

        var addressRaw = RawAt(Address, out var addressSource, out var addressLevel);
        var interfaceRaw = RawAt(Interface, out var interfaceSource, out var interfaceLevel);
        IPAddress address;
        if (interfaceRaw is not null && (addressRaw is null || interfaceLevel > addressLevel))
        {
            address = InterfaceAddress(interfaceRaw, interfaceSource);
        }
        else if (interfaceRaw is not null && interfaceLevel == addressLevel)
        {
            throw new UsageException($"{addressSource} and {interfaceSource}: give one of them, not both (--interface picks the address of a network interface).");
        }
        else
        {
            var addressText = addressRaw ?? "127.0.0.1";
            if (!IPAddress.TryParse(addressText.Trim(), out address!) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                throw new UsageException($"{addressSource}: '{addressText}' is not a usable IP address; give the address to listen on and advertise, such as 127.0.0.1.");
            }
        }

        var siloPort = Port(SiloPort, 11111);
        var gatewayPort = Port(GatewayPort, 30000);
        var primaryPort = Port(PrimaryPort, 11111);
        if (siloPort == gatewayPort)
        {
            throw new UsageException($"{GatewayPort.Name}: must differ from {SiloPort.Name} (both are {siloPort}).");
        }

        var clusterId = Id(ClusterId);
        var serviceId = Id(ServiceId);

        var slotsText = Raw(Slots, out source);
        var slots = Environment.ProcessorCount;
        if (slotsText is not null && (!int.TryParse(slotsText.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out slots) || slots is < 0 or > 4096))
        {
            throw new UsageException($"{source}: '{slotsText}' is not a slot count; give a whole number from 0 (host runs only) to 4096.");
        }

        var objectivesText = Raw(ObjectiveNames, out source);
        var valid = string.Join(", ", BenchmarkObjectives.All.Select(o => o.Name));
        List<string> objectives = [];
        var noBuiltIns = objectivesText is not null && string.Equals(objectivesText.Trim(), "none", StringComparison.OrdinalIgnoreCase);
        foreach (var name in noBuiltIns ? [] : (objectivesText ?? string.Join(",", BenchmarkObjectives.All.Select(o => o.Name))).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var problem = BenchmarkObjectives.All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"{source}: unknown objective '{name}'; valid: {valid}.");
            if (!objectives.Contains(problem.Name))
            {
                objectives.Add(problem.Name);
            }
        }

        if (objectives.Count == 0 && !noBuiltIns)
        {
            throw new UsageException($"{source}: name at least one objective, or 'none' for no built-in one; valid: {valid}.");
        }

        var commandObjectives = CommandObjectiveSettings.Read(file, variables);
        foreach (var (name, _, where) in commandObjectives)
        {
            if (objectives.Contains(name, StringComparer.Ordinal))
            {
                throw new UsageException($"{where}: the name '{name}' is also a built-in objective this silo offers; rename it, or leave the built-in out with --objectives.");
            }
        }

        var plugins = PluginPaths(parseResult, environment, file);

        var dataText = Raw(DataDirectory, out source) ?? "hpbandster-data";
        string dataDirectory;
        try
        {
            dataDirectory = string.IsNullOrWhiteSpace(dataText) ? throw new ArgumentException("empty") : Path.GetFullPath(dataText);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"{source}: '{dataText}' is not a usable directory path.");
        }

        var levelText = Raw(LogLevelOption, out source) ?? "warning";
        if (!Enum.TryParse<LogLevel>(levelText.Trim(), ignoreCase: true, out var level) || !Enum.IsDefined(level) || levelText.Trim().All(char.IsAsciiDigit))
        {
            throw new UsageException($"{source}: unknown log level '{levelText}'; valid: trace, debug, information, warning, error, critical, none.");
        }

        if (objectives.Count == 0 && commandObjectives.Count == 0 && plugins.Count == 0)
        {
            throw new UsageException($"{ObjectiveNames.Name}: 'none' leaves this silo without objectives; configure command objectives or plugins, or offer built-in ones.");
        }

        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null;
        if (Raw(TlsCertificate, out source) is { } certificateText)
        {
            certificate = SiloTls.Load(certificateText, Raw(TlsCertificatePassword, out _), source);
        }

        TimeSpan? idleTimeout = null;
        if (Raw(IdleTimeout, out source) is { } idleText)
        {
            idleTimeout = double.TryParse(idleText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2
                ? TimeSpan.FromSeconds(seconds)
                : throw new UsageException($"{source}: '{idleText}' is not a positive number of seconds; leave it out to never stop when idle.");
        }

        var workerMode = false;
        if (Raw(WorkerMode, out source) is { } modeText && !bool.TryParse(modeText.Trim(), out workerMode))
        {
            throw new UsageException($"{source}: '{modeText}' is neither true nor false.");
        }

        // A worker started for runs must not hold its node for minutes when there is no cluster to join.
        TimeSpan? joinTimeout = null;
        var joinSource = JoinTimeout.Name;
        if (Raw(JoinTimeout, out source) is { } joinText)
        {
            joinSource = source;
            if (!string.Equals(joinText.Trim(), "none", StringComparison.OrdinalIgnoreCase))
            {
                joinTimeout = double.TryParse(joinText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new UsageException($"{source}: '{joinText}' is not a positive number of seconds; give 'none' to wait as long as Orleans does.");
            }
        }
        else if (workerMode)
        {
            (joinTimeout, joinSource) = idleTimeout is { } idle
                ? (idle, $"its {IdleTimeout.Name}, the default {JoinTimeout.Name} of a {WorkerMode.Name} silo")
                : (DefaultWorkerJoinTimeout, $"the default {JoinTimeout.Name} of a {WorkerMode.Name} silo");
        }

        Uri? otlp = null;
        if (Raw(OtlpEndpoint, out source) is { } otlpText)
        {
            if (!Uri.TryCreate(otlpText.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"{source}: '{otlpText}' is not an http(s) URL of an OTLP collector, such as http://collector:4318.");
            }

            otlp = parsed.AbsolutePath is "/" or "" ? new Uri(parsed, "v1/metrics") : parsed;
        }

        var dashboard = DashboardEndpoint(siloPort, gatewayPort);

        return new SiloSettings(clustering, address, siloPort, gatewayPort, primaryPort, clusterId, serviceId, slots, objectives, dataDirectory, level, postgres)
        {
            Dashboard = dashboard,
            OtlpEndpoint = otlp,
            IdleTimeout = idleTimeout,
            JoinTimeout = joinTimeout,
            JoinTimeoutSource = joinSource,
            WorkerMode = workerMode,
            TlsCertificate = certificate,
            CommandObjectives = [.. commandObjectives.Select(c => (c.Name, c.Options))],
            Plugins = plugins,
        };

        int Port(Option<string> option, int fallback)
        {
            var text = Raw(option, out var from);
            if (text is null)
            {
                return fallback;
            }

            return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
                ? port
                : throw new UsageException($"{from}: '{text}' is not a port; give a whole number from 1 to 65535.");
        }

        IPEndPoint? DashboardEndpoint(int siloPort, int gatewayPort)
        {
            // The address is checked even when the dashboard is off (a typo should not wait for the day it is turned on).
            var addressText = Raw(DashboardAddress, out var addressFrom);
            var dashboardAddress = IPAddress.Loopback;
            if (addressText is not null && !IPAddress.TryParse(addressText.Trim(), out dashboardAddress!))
            {
                throw new UsageException($"{addressFrom}: '{addressText}' is not an IP address; give the address the dashboard listens on, such as 127.0.0.1 (the default).");
            }

            var text = Raw(Dashboard, out var from);
            if (text is null || string.Equals(text.Trim(), "off", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new UsageException($"{from}: '{text}' is not a port; give a whole number from 1 to 65535 (or 'off').");
            }

            if (port == siloPort || port == gatewayPort)
            {
                throw new UsageException($"{from}: port {port} is already this silo's {(port == siloPort ? SiloPort.Name : GatewayPort.Name)}; give the dashboard a port of its own.");
            }

            return new IPEndPoint(dashboardAddress, port);
        }

        string Id(Option<string> option)
        {
            var text = Raw(option, out var from) ?? "hpbandster";
            return string.IsNullOrWhiteSpace(text) || text.Any(char.IsWhiteSpace)
                ? throw new UsageException($"{from}: '{text}' is not a usable id; give a non-empty id without spaces.")
                : text;
        }
    }

    /// <summary>The configuration file key of an option: <c>--silo-port</c> → <c>HpBandSter:SiloPort</c>.</summary>
    public static string ConfigurationKey(Option option) =>
        "HpBandSter:" + string.Concat(option.Name.TrimStart('-').Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>The first IPv4 (else IPv6) unicast address of the network interface <paramref name="name"/>.</summary>
    private static IPAddress InterfaceAddress(string name, string source)
    {
        var trimmed = name.Trim();
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException e)
        {
            throw new UsageException($"{source}: cannot list the network interfaces: {e.Message}");
        }

        var nic = interfaces.FirstOrDefault(n => string.Equals(n.Name, trimmed, StringComparison.Ordinal))
            ?? throw new UsageException($"{source}: no network interface '{name}'; this machine has: {string.Join(", ", interfaces.Select(n => n.Name))}.");
        var addresses = nic.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToList();
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal)
            ?? throw new UsageException($"{source}: the network interface '{name}' has no usable IP address (is it up?).");
    }

    /// <summary>Plugin paths from the command line (repeated --plugin), else HPBANDSTER_PLUGIN, else the file's Plugins list.</summary>
    private static List<string> PluginPaths(ParseResult parseResult, Func<string, string?> environment, ConfigurationFile? file)
    {
        List<(string Path, string Source)> raw;
        if (parseResult.GetValue(Plugins) is { Length: > 0 } fromCommandLine)
        {
            raw = [.. fromCommandLine.Select(p => (p, Plugins.Name))];
        }
        else if (environment(EnvironmentVariable(Plugins)) is { } fromEnvironment)
        {
            raw = [.. fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => (p, $"{Plugins.Name} (from {EnvironmentVariable(Plugins)})"))];
        }
        else
        {
            raw = [.. (file?.List("HpBandSter:Plugins") ?? []).Select(p => (Path.GetFullPath(p, Path.GetDirectoryName(file!.Path)!), $"{Plugins.Name} (from HpBandSter:Plugins in {file!.Path})"))];
        }

        List<string> paths = [];
        foreach (var (path, source) in raw)
        {
            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                throw new UsageException($"{source}: '{path}' is not a usable path.");
            }

            if (!File.Exists(full))
            {
                throw new UsageException($"{source}: the plugin assembly '{full}' does not exist.");
            }

            if (!paths.Contains(full))
            {
                paths.Add(full);
            }
        }

        return paths;
    }

    /// <summary>The environment variable for an option: <c>--silo-port</c> → <c>HPBANDSTER_SILO_PORT</c>.</summary>
    public static string EnvironmentVariable(Option option) =>
        "HPBANDSTER_" + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();

    private static Option<string> Create(string name, string helpName, string description) =>
        new(name) { HelpName = helpName, Description = description };

    private static int UsageErrorHint(TextWriter error)
    {
        error.WriteLine($"Run '{Name} --help' for usage.");
        return UsageError;
    }

    private static string Describe(ParseError parseError)
    {
        var message = parseError.Message.Replace("\r", string.Empty).Replace("\n\t", " ").Replace('\n', ' ');
        if (parseError.SymbolResult is OptionResult { Option: var option } && !message.Contains(option.Name, StringComparison.Ordinal))
        {
            message = $"{option.Name}: {message}";
        }

        return message;
    }
}
