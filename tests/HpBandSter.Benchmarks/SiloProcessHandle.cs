using System.Diagnostics;
using System.Globalization;

namespace HpBandSter.Benchmarks;

/// <summary>
/// One <c>hpbandster-silo</c> process (<c>dotnet hpbandster-silo.dll</c>, copied next to the benchmark by the project
/// reference) on 127.0.0.1, started with the silo's own command-line options. Keeps the tail of its output for error
/// messages, waits for its ready line, reads its peak memory from /proc, and ends it with SIGKILL.
/// </summary>
internal sealed class SiloProcessHandle : IDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastPeakKb;

    private SiloProcessHandle(string name, int siloPort, int gatewayPort, IReadOnlyList<string> args, string? postgres)
    {
        Name = name;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hpbandster-silo.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("HPBANDSTER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        if (postgres is not null)
        {
            start.Environment["HPBANDSTER_POSTGRES"] = postgres; // not on the command line, where ps shows it
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, "out");
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, "err");
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"{Name} exited before it was ready.\n{Tail}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public int Pid => _process.Id;

    /// <summary>When the ready line arrived (UTC), or null.</summary>
    public DateTime? ReadyAt { get; private set; }

    public bool HasExited => _process.HasExited;

    public string Tail
    {
        get
        {
            lock (_tail)
            {
                return $"--- {Name} (pid {_process.Id}) output tail ---\n{string.Join("\n", _tail)}\n---";
            }
        }
    }

    /// <summary>A silo of a localhost cluster (membership kept by the primary, on <paramref name="primaryPort"/>).</summary>
    public static SiloProcessHandle StartLocalhost(string name, int siloPort, int gatewayPort, int primaryPort, string clusterId, int slots, string objectives, string dataDirectory) =>
        new(name, siloPort, gatewayPort, [.. Common(siloPort, gatewayPort, clusterId, slots, objectives, dataDirectory), "--clustering", "localhost", "--primary-port", Text(primaryPort)], null);

    /// <summary>A silo with membership (and runs) in PostgreSQL; the connection string goes in HPBANDSTER_POSTGRES.</summary>
    public static SiloProcessHandle StartPostgres(string name, int siloPort, int gatewayPort, string clusterId, int slots, string objectives, string dataDirectory, string connectionString) =>
        new(name, siloPort, gatewayPort, [.. Common(siloPort, gatewayPort, clusterId, slots, objectives, dataDirectory), "--clustering", "postgres"], connectionString);

    /// <summary>Waits for the ready line; throws with the output tail when it does not come in time or the process exits.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} printed no ready line within {timeout.TotalSeconds} s.\n{Tail}");
        }
    }

    /// <summary>The process's peak resident set (VmHWM in /proc/PID/status) in KiB; the last value read once it has exited.</summary>
    public long PeakRssKb()
    {
        if (!_process.HasExited && ReadPeakKb(_process.Id) is { } kb)
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

    /// <summary>SIGKILL: the silo dies at once, without telling anyone (its peak memory is read first).</summary>
    public void Kill()
    {
        _ = PeakRssKb();
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
    }

    private static List<string> Common(int siloPort, int gatewayPort, string clusterId, int slots, string objectives, string dataDirectory) =>
    [
        "--address", "127.0.0.1",
        "--silo-port", Text(siloPort),
        "--gateway-port", Text(gatewayPort),
        "--cluster-id", clusterId,
        "--service-id", clusterId,
        "--slots", Text(slots),
        "--objectives", objectives,
        "--data-dir", dataDirectory,
        "--log-level", "warning",
    ];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : "dotnet";

    private void OnLine(string? line, string stream)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue($"{stream}: {line}");
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }

        if (stream == "out" && line.StartsWith("hpbandster-silo ready:", StringComparison.Ordinal))
        {
            ReadyAt = DateTime.UtcNow;
            _ready.TrySetResult();
        }
    }
}
