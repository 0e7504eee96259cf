using System.Runtime.InteropServices;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// One <c>hpbandster-silo</c> process started with <c>dotnet hpbandster-silo.dll</c>. Captures stdout and stderr
/// (the tail goes into failure messages), waits for the ready line, and ends the process with SIGKILL
/// (<see cref="ChildProcess.Kill"/>) or SIGTERM (<see cref="Terminate"/>). Dispose kills it if it still runs.
/// </summary>
internal sealed class SiloProcess : ChildProcess
{
    private const int TailLines = 60;
    private const int SigTerm = 15;

    private SiloProcess(string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
        : base(name, DotnetProgram.StartInfo(SiloProgram.Dll, args, environment), SiloProgram.ReadyLinePrefix, TailLines)
    {
    }

    /// <summary>The silo port (0 for a process started by <see cref="StartRaw(string, string[])"/>).</summary>
    public int SiloPort { get; private init; }

    /// <summary>The gateway port (0 for a process started by <see cref="StartRaw(string, string[])"/>).</summary>
    public int GatewayPort { get; private init; }

    /// <summary>Starts a silo of a localhost cluster on 127.0.0.1.</summary>
    public static SiloProcess StartSilo(string name, int siloPort, int gatewayPort, int primaryPort, string clusterId, int slots, string objectives, string dataDirectory) =>
        new(name, SiloProgram.LocalhostArguments(siloPort, gatewayPort, primaryPort, clusterId, slots, objectives, dataDirectory))
        {
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
        };

    /// <summary>
    /// Starts a silo with membership in PostgreSQL on 127.0.0.1. The connection string goes in HPBANDSTER_POSTGRES
    /// (as an operator should pass a password), or on the command line when <paramref name="onCommandLine"/>.
    /// </summary>
    public static SiloProcess StartPostgresSilo(string name, int siloPort, int gatewayPort, string clusterId, int slots, string objectives, string dataDirectory, string connectionString, bool onCommandLine = false)
    {
        var args = SiloProgram.PostgresArguments(siloPort, gatewayPort, clusterId, slots, objectives, dataDirectory);
        Dictionary<string, string> environment = [];
        if (onCommandLine)
        {
            args.AddRange(["--postgres", connectionString]);
        }
        else
        {
            environment["HPBANDSTER_POSTGRES"] = connectionString;
        }

        return new SiloProcess(name, args, environment) { SiloPort = siloPort, GatewayPort = gatewayPort };
    }

    /// <summary>
    /// Starts a primary silo of a localhost cluster on 127.0.0.1 with the given ports, cluster id and data directory,
    /// plus <paramref name="extraArguments"/> (such as --config) and extra environment variables.
    /// </summary>
    public static SiloProcess StartConfigured(string name, int siloPort, int gatewayPort, string clusterId, string dataDirectory, IEnumerable<string> extraArguments, IReadOnlyDictionary<string, string>? environment = null) =>
        new(name, [.. SiloProgram.Network("localhost", siloPort, gatewayPort, siloPort, clusterId), "--data-dir", dataDirectory, .. extraArguments], environment)
        {
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
        };

    /// <summary>Starts the program with arbitrary arguments (usage tests).</summary>
    public static SiloProcess StartRaw(string name, params string[] args) => new(name, args);

    /// <summary>Starts the program with arguments and extra environment variables (usage tests).</summary>
    public static SiloProcess StartRaw(string name, IReadOnlyDictionary<string, string> environment, params string[] args) => new(name, args, environment);

    /// <summary>SIGTERM: the silo shuts down gracefully.</summary>
    public void Terminate()
    {
        if (SysKill(Pid, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({Pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.\n{Tail}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);
}
