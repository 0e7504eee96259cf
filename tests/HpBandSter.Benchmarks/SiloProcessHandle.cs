using System.Globalization;

namespace HpBandSter.Benchmarks;

/// <summary>
/// One <c>hpbandster-silo</c> process (<c>dotnet hpbandster-silo.dll</c>, copied next to the benchmark by the project
/// reference) on 127.0.0.1, started with the silo's own command-line options. Keeps the tail of its output for error
/// messages, waits for its ready line (<see cref="ChildProcess"/>), reads its peak memory from /proc, and ends it with
/// SIGKILL.
/// </summary>
internal sealed class SiloProcessHandle : ChildProcess
{
    private const int TailLines = 40;

    private long _lastPeakKb;

    private SiloProcessHandle(string name, int siloPort, int gatewayPort, IReadOnlyList<string> args, string? postgres)
        : base(name, DotnetProgram.StartInfo(SiloProgram.Dll, args, Environment(postgres)), SiloProgram.ReadyLinePrefix, TailLines)
    {
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    /// <summary>A silo of a localhost cluster (membership kept by the primary, on <paramref name="primaryPort"/>).</summary>
    public static SiloProcessHandle StartLocalhost(string name, int siloPort, int gatewayPort, int primaryPort, string clusterId, int slots, string objectives, string dataDirectory) =>
        new(name, siloPort, gatewayPort, SiloProgram.LocalhostArguments(siloPort, gatewayPort, primaryPort, clusterId, slots, objectives, dataDirectory), null);

    /// <summary>A silo with membership (and runs) in PostgreSQL; the connection string goes in HPBANDSTER_POSTGRES.</summary>
    public static SiloProcessHandle StartPostgres(string name, int siloPort, int gatewayPort, string clusterId, int slots, string objectives, string dataDirectory, string connectionString) =>
        new(name, siloPort, gatewayPort, SiloProgram.PostgresArguments(siloPort, gatewayPort, clusterId, slots, objectives, dataDirectory), connectionString);

    /// <summary>The process's peak resident set (VmHWM in /proc/PID/status) in KiB; the last value read once it has exited.</summary>
    public long PeakRssKb()
    {
        if (!HasExited && ReadPeakKb(Pid) is { } kb)
        {
            _lastPeakKb = kb;
        }

        return _lastPeakKb;
    }

    /// <summary>VmHWM of a process (KiB), or null where /proc has none.</summary>
    public static long? ReadPeakKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: the silo dies at once, without telling anyone (its peak memory is read first); waits until it is gone.</summary>
    public void KillAfterPeak()
    {
        _ = PeakRssKb();
        KillAndWait();
    }

    // The connection string goes in the environment, not on the command line, where ps shows it.
    private static Dictionary<string, string>? Environment(string? postgres) =>
        postgres is null ? null : new() { ["HPBANDSTER_POSTGRES"] = postgres };
}
