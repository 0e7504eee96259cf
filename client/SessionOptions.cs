using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using HpBandSter.Orleans.PostgreSql;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Client;

/// <summary>
/// The options that say where runs live: a silo inside this process (<c>--workers</c>, <c>--data-dir</c>), an
/// existing localhost cluster (<c>--cluster</c> with its gateway ports and ids) or a PostgreSQL-clustered cluster
/// (<c>--postgres</c>, default the <c>HPBANDSTER_POSTGRES</c> environment variable), and for a cluster whether to talk
/// TLS to it (<c>--tls-certificate</c>, default the <c>HPBANDSTER_TLS_CERTIFICATE</c> environment variable). Shared by
/// the commands that talk to runs.
/// </summary>
internal sealed class SessionOptions
{
    public const string DefaultDataDirectory = "hpbandster-data";
    private const string DefaultClusterId = "hpbandster";
    private const int DefaultGatewayPort = 30000;

    /// <summary>The environment variable that stands for <c>--postgres</c> when that is not given.</summary>
    public const string PostgresVariable = "HPBANDSTER_POSTGRES";

    public SessionOptions(string clusterVerb)
    {
        Workers = new Option<int>("--workers")
        {
            Description = "Evaluation slots of the embedded silo: how many evaluations run at once, by default one per processor (not with --cluster).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        DataDir = new Option<string>("--data-dir")
        {
            Description = "Data directory of the embedded silo: its run store (runs.db) and job working directories (not with --cluster).",
            DefaultValueFactory = _ => DefaultDataDirectory,
        };
        Cluster = new Option<bool>("--cluster") { Description = $"{clusterVerb} on an existing localhost cluster (through its gateway) instead of a silo inside this process." };
        GatewayPorts = new Option<string[]>("--gateway-port")
        {
            Description = "With --cluster: the cluster's gateway port(s); repeat the option or separate ports by commas.",
            DefaultValueFactory = _ => [DefaultGatewayPort.ToString(CultureInfo.InvariantCulture)],
        };
        Postgres = new Option<string?>("--postgres")
        {
            Description = $"{clusterVerb} on a cluster whose silos use PostgreSQL clustering (hpbandster-silo --clustering postgres): an Npgsql connection string "
                + $"such as \"Host=db;Username=u;Password=p;Database=hpbandster\"; the gateways are found there. Default: the {PostgresVariable} environment "
                + "variable, unless --cluster, --workers or --data-dir is given. The password is never printed.",
        };
        ClusterId = new Option<string>("--cluster-id") { Description = "With --cluster or --postgres: the cluster id.", DefaultValueFactory = _ => DefaultClusterId };
        ServiceId = new Option<string>("--service-id") { Description = "With --cluster or --postgres: the service id.", DefaultValueFactory = _ => DefaultClusterId };
        ConnectTimeout = new Option<double>("--connect-timeout")
        {
            Description = "With --cluster or --postgres: seconds to wait for a gateway to answer before giving up.",
            DefaultValueFactory = _ => 10.0,
        };
        TlsCertificate = new Option<string?>("--tls-certificate")
        {
            HelpName = "pfx",
            Description = "With --cluster or --postgres: talk TLS to a cluster whose silos run with hpbandster-silo --tls-certificate. A PKCS#12 file (.pfx/.p12) "
                + "with a certificate and its private key, usually the cluster's own: the silos require every client to present one (mutual TLS) and accept it "
                + "when it validates against their machine's trusted roots or is their own certificate; this client accepts a silo on the same terms. "
                + $"Default: the {ClusterTls.CertificateVariable} environment variable, else none (plain TCP).",
        };
        TlsCertificatePassword = new Option<string?>("--tls-certificate-password")
        {
            HelpName = "password",
            Description = $"Password of the --tls-certificate file (better given by {ClusterTls.PasswordVariable}, which other users cannot read from the process list). "
                + "Never printed. Default: none.",
        };
        Workers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 4096)
            {
                r.AddError($"{Workers.Name} must be between 1 and 4096 (got {r.GetValueOrDefault<int>()}); it is how many evaluations run at once.");
            }
        });
        ConnectTimeout.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (!double.IsFinite(v) || v <= 0 || v > 3600)
            {
                r.AddError($"{ConnectTimeout.Name} must be a positive number of seconds, at most 3600 (got {v.ToString("R", CultureInfo.InvariantCulture)}).");
            }
        });
    }

    public Option<int> Workers { get; }

    public Option<string> DataDir { get; }

    public Option<bool> Cluster { get; }

    public Option<string[]> GatewayPorts { get; }

    public Option<string?> Postgres { get; }

    public Option<string> ClusterId { get; }

    public Option<string> ServiceId { get; }

    public Option<double> ConnectTimeout { get; }

    public Option<string?> TlsCertificate { get; }

    public Option<string?> TlsCertificatePassword { get; }

    /// <summary>Every option, for adding to a command.</summary>
    public IEnumerable<Option> All => [Workers, DataDir, Cluster, GatewayPorts, Postgres, ClusterId, ServiceId, ConnectTimeout, TlsCertificate, TlsCertificatePassword];

    /// <summary>
    /// The PostgreSQL connection string to use: <c>--postgres</c>, else <see cref="PostgresVariable"/> when no option
    /// of the other modes (<c>--cluster</c>, <c>--workers</c>, <c>--data-dir</c>) was given; null for the other modes.
    /// </summary>
    public string? PostgresConnection(ParseResult parseResult)
    {
        if (parseResult.GetValue(Postgres) is { Length: > 0 } given)
        {
            return given;
        }

        var otherMode = new Option[] { Cluster, Workers, DataDir }.Any(o => parseResult.GetResult(o) is { Implicit: false });
        return !otherMode && Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    }

    /// <summary>Whether the command talks to an existing cluster (<c>--cluster</c> or PostgreSQL) rather than an embedded silo.</summary>
    public bool IsCluster(ParseResult parseResult) => parseResult.GetValue(Cluster) || PostgresConnection(parseResult) is not null;

    /// <summary>Adds the options to <paramref name="command"/>, all but <c>--workers</c> when the command starts no silo.</summary>
    public void AddTo(Command command, bool startsSilo = true)
    {
        foreach (var option in All.Where(o => startsSilo || o != Workers))
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// Checks that the options fit the mode and, for a cluster, loads the TLS certificate if one is given; returns where
    /// to connect, or prints the usage error (with the hint to <paramref name="command"/>'s help) and returns null.
    /// </summary>
    public ClusterTarget? Check(ParseResult parseResult, Command command)
    {
        var (target, error) = FindTarget(parseResult);
        if (error is null)
        {
            return target;
        }

        Cli.ReportUsageError(command, parseResult.InvocationConfiguration.Error, error);
        return null;
    }

    private (ClusterTarget Target, string? Error) FindTarget(ParseResult parseResult)
    {
        var (ports, error) = CheckMode(parseResult);
        if (error is not null || !IsCluster(parseResult))
        {
            return (new ClusterTarget(ports, null), error);
        }

        // As for the silo: the option, else the environment variable; the password likewise, and never printed.
        string source, path;
        if (parseResult.GetValue(TlsCertificate) is { } given)
        {
            (source, path) = (TlsCertificate.Name, given);
        }
        else if (Environment.GetEnvironmentVariable(ClusterTls.CertificateVariable) is { Length: > 0 } fromEnvironment)
        {
            (source, path) = ($"{TlsCertificate.Name} (from {ClusterTls.CertificateVariable})", fromEnvironment);
        }
        else
        {
            return parseResult.GetResult(TlsCertificatePassword) is { Implicit: false }
                ? (new ClusterTarget(ports, null), $"{TlsCertificatePassword.Name} applies with {TlsCertificate.Name} only: it opens the certificate file.")
                : (new ClusterTarget(ports, null), null);
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            return (new ClusterTarget(ports, null), $"{source}: give the path of a PKCS#12 (.pfx) file, such as the one the cluster's silos use.");
        }

        var password = parseResult.GetValue(TlsCertificatePassword) ?? Environment.GetEnvironmentVariable(ClusterTls.PasswordVariable);
        var (certificate, loadError) = ClusterTls.Load(path, password, source);
        return (new ClusterTarget(ports, certificate), loadError);
    }

    private (IReadOnlyList<int> Ports, string? Error) CheckMode(ParseResult parseResult)
    {
        if (parseResult.GetResult(Postgres) is { Implicit: false } && parseResult.GetValue(Postgres) is not { Length: > 0 })
        {
            return ([], $"{Postgres.Name}: give a connection string, for example \"Host=127.0.0.1;Username=hpbandster;Database=hpbandster\".");
        }

        var postgres = PostgresConnection(parseResult);
        var onCluster = IsCluster(parseResult);
        var misplaced = postgres is not null
            ? new Option[] { Workers, DataDir, GatewayPorts }
            : onCluster ? [Workers, DataDir] : [GatewayPorts, ClusterId, ServiceId, ConnectTimeout, TlsCertificate, TlsCertificatePassword];
        foreach (var option in misplaced)
        {
            if (parseResult.GetResult(option) is { Implicit: false })
            {
                return ([], option == GatewayPorts && postgres is not null
                    ? $"{option.Name} applies to a localhost cluster (--cluster); with {Postgres.Name} the gateways are found in PostgreSQL."
                    : onCluster
                        ? $"{option.Name} applies to the embedded silo only; with {(postgres is not null ? Postgres.Name : Cluster.Name)} the cluster's silos have their own."
                        : $"{option.Name} applies with --cluster only (or --postgres).");
            }
        }

        if (postgres is not null)
        {
            try
            {
                PostgresConnectionText.Parse(postgres);
            }
            catch (ArgumentException e)
            {
                return ([], $"{Postgres.Name}: {Cli.MessageWithoutParameter(e)}");
            }

            return ([], null);
        }

        var ports = new List<int>();
        foreach (var text in parseResult.GetValue(GatewayPorts)!.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return ([], $"{GatewayPorts.Name}: '{text}' is not a port number (1 to 65535).");
            }

            ports.Add(port);
        }

        return ports.Count == 0 ? ([], $"{GatewayPorts.Name}: give at least one port.") : (ports, null);
    }

    /// <summary>
    /// Opens the session and hands it, with the status of run <paramref name="runId"/>, to <paramref name="use"/>, whose
    /// result is the exit code; or prints why not and returns the exit code: 1 when the session does not open,
    /// <see cref="Cli.UsageError"/> when there is no such run (<c>error: there is no run 'RUN' on the cluster</c>, or in the
    /// data directory, followed by <paramref name="unknownRunNote"/>), and 1 when reading the status or
    /// <paramref name="use"/> fails (<c>error: run RUN: </c>, <paramref name="failureContext"/>, the exception's message).
    /// The session is disposed when <paramref name="use"/> returns. <paramref name="cancellationToken"/> (Ctrl+C, or a
    /// deadline) ends the wait for the session and for the status with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<int> WithRunAsync(
        ParseResult parseResult,
        ClusterTarget target,
        string runId,
        Func<ClusterSession, RunStatus, Task<int>> use,
        CancellationToken cancellationToken,
        string unknownRunNote = "",
        string failureContext = "")
    {
        var error = parseResult.InvocationConfiguration.Error;
        var opened = await OpenAsync(parseResult, target, error, cancellationToken, runId);
        if (opened is null)
        {
            return 1;
        }

        await using (opened)
        {
            try
            {
                var status = await opened.Client.GetStatusAsync(runId).WaitAsync(cancellationToken);
                if (status.State == RunState.Unknown)
                {
                    var where = IsCluster(parseResult) ? "on the cluster" : $"in the data directory '{parseResult.GetValue(DataDir)}'";
                    error.WriteLine($"error: there is no run '{runId}' {where}{unknownRunNote}.");
                    return Cli.UsageError;
                }

                return await use(opened, status);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error.WriteLine($"error: run {runId}: {failureContext}{e.Message}");
                return 1;
            }
        }
    }

    /// <summary>
    /// Opens the session; on failure prints why and returns null. An embedded session for <paramref name="runId"/>
    /// first takes the run's <see cref="RunLock"/> (held until the session is disposed), and is refused while another
    /// process runs that run in the same data directory.
    /// </summary>
    public async Task<ClusterSession?> OpenAsync(ParseResult parseResult, ClusterTarget target, TextWriter error, CancellationToken cancellationToken, string? runId = null)
    {
        var onCluster = IsCluster(parseResult);
        var postgres = PostgresConnection(parseResult);
        var ports = target.Ports;
        var dataDirectory = parseResult.GetValue(DataDir)!;
        RunLock? runLock = null;
        try
        {
            if (onCluster)
            {
                return await ClusterSession.ConnectAsync(
                    ports, postgres, parseResult.GetValue(ServiceId)!, parseResult.GetValue(ClusterId)!, TimeSpan.FromSeconds(parseResult.GetValue(ConnectTimeout)), target.Certificate, error, cancellationToken);
            }

            if (runId is not null && (runLock = await RunLock.AcquireAsync(dataDirectory, runId, cancellationToken)) is null)
            {
                error.WriteLine(
                    $"error: run {runId} is being run by another hpbandster process in the data directory '{dataDirectory}'; "
                    + $"follow it with 'hpbandster watch {runId} --data-dir {dataDirectory}', or stop that process first (a run stops with its process; resume it then).");
                return null;
            }

            var session = await ClusterSession.StartEmbeddedAsync(parseResult.GetValue(Workers), dataDirectory, error, cancellationToken);
            session.Hold(runLock);
            return session;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            runLock?.Dispose();
            target.Certificate?.Dispose();
            throw;
        }
        catch (Exception e)
        {
            runLock?.Dispose();
            target.Certificate?.Dispose();
            error.WriteLine(postgres is not null
                ? $"error: cannot connect to the cluster '{parseResult.GetValue(ClusterId)}' (service '{parseResult.GetValue(ServiceId)}') through {PostgresConnectionText.Describe(postgres)}: {PostgresConnectionText.Scrub(e.Message, postgres)}"
                : onCluster
                ? $"error: cannot connect to the cluster '{parseResult.GetValue(ClusterId)}' (service '{parseResult.GetValue(ServiceId)}') through gateway port(s) {string.Join(", ", ports)}: {e.Message}"
                : $"error: cannot start the embedded silo: {e.Message}");
            return null;
        }
    }
}
