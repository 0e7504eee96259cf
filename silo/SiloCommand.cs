using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using HpBandSter.Objectives;
using HpBandSter.Orleans.PostgreSql;
using Microsoft.Extensions.Logging;

namespace HpBandSter.Silo;

/// <summary>
/// The <c>hpbandster-silo</c> command line. Every option may also come from an environment variable
/// <c>HPBANDSTER_&lt;OPTION&gt;</c> (for example <c>HPBANDSTER_SLOTS</c>); the command line wins. Values from both
/// places are checked the same way, and an invalid one is a usage error naming the option (exit code 2).
/// </summary>
internal static class SiloCommand
{
    /// <summary>Exit code for invalid arguments (a usage error).</summary>
    public const int UsageError = 2;

    private const string Name = "hpbandster-silo";

    private static readonly Option<string> Clustering = Create("--clustering", "name", "How silos find each other: 'localhost' (development clustering on one machine; the membership table lives on the primary silo) or 'postgres' (membership in PostgreSQL, see --postgres; the schema is created at start if missing). Default: localhost.");
    private static readonly Option<string> Address = Create("--address", "ip", "IP address this silo listens on and advertises; the primary silo is reached at the same address. Default: 127.0.0.1.");
    private static readonly Option<string> SiloPort = Create("--silo-port", "port", "Port for silo-to-silo traffic. Default: 11111.");
    private static readonly Option<string> GatewayPort = Create("--gateway-port", "port", "Port clients connect to. Default: 30000.");
    private static readonly Option<string> PrimaryPort = Create("--primary-port", "port", "Silo port of the primary silo (localhost clustering only); the silo whose --silo-port equals it is the primary. Default: 11111.");
    private static readonly Option<string> Postgres = Create("--postgres", "connection-string", "PostgreSQL connection string for --clustering postgres, such as \"Host=db;Port=5432;Database=hpbandster;Username=hpbandster;Password=...\" (better given by HPBANDSTER_POSTGRES, which other users cannot read from the process list). The password is never printed. No default.");
    private static readonly Option<string> ClusterId = Create("--cluster-id", "id", "Orleans cluster id; silos and clients of one cluster share it. Default: hpbandster.");
    private static readonly Option<string> ServiceId = Create("--service-id", "id", "Orleans service id. Default: hpbandster.");
    private static readonly Option<string> Slots = Create("--slots", "count", "Evaluations this silo runs at once; 0 makes a silo that only hosts runs. Default: the processor count.");
    private static readonly Option<string> ObjectiveNames = Create("--objectives", "names", $"Comma-separated built-in objectives this silo offers. Default: all ({string.Join(",", BenchmarkObjectives.All.Select(o => o.Name))}).");
    private static readonly Option<string> DataDirectory = Create("--data-dir", "path", "Directory for job working directories. Default: ./hpbandster-data.");
    private static readonly Option<string> LogLevelOption = Create("--log-level", "level", "Console log level (to stderr): trace, debug, information, warning, error, critical or none. Default: warning (Orleans is chatty below it).");

    private static readonly Option<string>[] All =
        [Clustering, Postgres, Address, SiloPort, GatewayPort, PrimaryPort, ClusterId, ServiceId, Slots, ObjectiveNames, DataDirectory, LogLevelOption];

    /// <summary>Builds the root command (options only; <see cref="RunAsync"/> runs it).</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand(
            "hpbandster-silo: an Orleans silo that hosts HpBandSter runs and evaluates their jobs on built-in objectives. " +
            "Each option may also be set by the environment variable HPBANDSTER_<OPTION> (for example HPBANDSTER_SLOTS=4); the command line wins.");
        foreach (var option in All)
        {
            root.Options.Add(option);
        }

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
            settings = Resolve(parseResult, Environment.GetEnvironmentVariable);
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return UsageErrorHint(error);
        }

        return await SiloHost.RunAsync(settings, output, error);
    }

    /// <summary>Settings from the command line, then the environment, then the defaults; throws <see cref="UsageException"/>.</summary>
    public static SiloSettings Resolve(ParseResult parseResult, Func<string, string?> environment)
    {
        string? Raw(Option<string> option, out string source)
        {
            if (parseResult.GetValue(option) is { } value)
            {
                source = option.Name;
                return value;
            }

            var variable = EnvironmentVariable(option);
            source = $"{option.Name} (from {variable})";
            return environment(variable);
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

        var addressText = Raw(Address, out source) ?? "127.0.0.1";
        if (!IPAddress.TryParse(addressText.Trim(), out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            throw new UsageException($"{source}: '{addressText}' is not a usable IP address; give the address to listen on and advertise, such as 127.0.0.1.");
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
        foreach (var name in (objectivesText ?? string.Join(",", BenchmarkObjectives.All.Select(o => o.Name))).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var problem = BenchmarkObjectives.All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"{source}: unknown objective '{name}'; valid: {valid}.");
            if (!objectives.Contains(problem.Name))
            {
                objectives.Add(problem.Name);
            }
        }

        if (objectives.Count == 0)
        {
            throw new UsageException($"{source}: name at least one objective; valid: {valid}.");
        }

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

        return new SiloSettings(clustering, address, siloPort, gatewayPort, primaryPort, clusterId, serviceId, slots, objectives, dataDirectory, level, postgres);

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

        string Id(Option<string> option)
        {
            var text = Raw(option, out var from) ?? "hpbandster";
            return string.IsNullOrWhiteSpace(text) || text.Any(char.IsWhiteSpace)
                ? throw new UsageException($"{from}: '{text}' is not a usable id; give a non-empty id without spaces.")
                : text;
        }
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
