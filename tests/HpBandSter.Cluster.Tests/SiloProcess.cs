using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// One <c>hpbandster-silo</c> process started with <c>dotnet hpbandster-silo.dll</c>. Captures stdout and stderr
/// (the tail goes into failure messages), waits for the ready line, and ends the process with SIGKILL
/// (<see cref="Kill"/>) or SIGTERM (<see cref="Terminate"/>). Dispose kills it if it still runs.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private const int TailLines = 60;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _stderr = new();
    private readonly System.Text.StringBuilder _all = new();

    private SiloProcess(string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SiloDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The program reads HPBANDSTER_* variables; keep the tests' silos independent of the environment.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("HPBANDSTER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, isError: false);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, isError: true);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"{Name} exited with code {SafeExitCode()} before it was ready."));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The silo program next to the test assembly (copied there by the project reference).</summary>
    public static string SiloDll { get; } = Path.Combine(AppContext.BaseDirectory, "hpbandster-silo.dll");

    /// <summary>A name for messages.</summary>
    public string Name { get; }

    /// <summary>The silo port (0 for a process started by <see cref="StartRaw"/>).</summary>
    public int SiloPort { get; private init; }

    /// <summary>The gateway port (0 for a process started by <see cref="StartRaw"/>).</summary>
    public int GatewayPort { get; private init; }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The last lines of stdout and stderr, for failure messages.</summary>
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

    /// <summary>The ready line's task (completes when the silo prints it).</summary>
    public Task<string> Ready => _ready.Task;

    /// <summary>Everything written to stdout and stderr so far (stderr lines prefixed "err: ").</summary>
    public string AllOutput
    {
        get
        {
            lock (_tail)
            {
                return _all.ToString();
            }
        }
    }

    /// <summary>Everything written to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_tail)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a silo of a localhost cluster on 127.0.0.1.</summary>
    public static SiloProcess StartSilo(string name, int siloPort, int gatewayPort, int primaryPort, string clusterId, int slots, string objectives, string dataDirectory) =>
        new(name,
        [
            "--clustering", "localhost",
            "--address", "127.0.0.1",
            "--silo-port", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--primary-port", primaryPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cluster-id", clusterId,
            "--service-id", clusterId,
            "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--objectives", objectives,
            "--data-dir", dataDirectory,
            "--log-level", "warning",
        ])
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
        List<string> args =
        [
            "--clustering", "postgres",
            "--address", "127.0.0.1",
            "--silo-port", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cluster-id", clusterId,
            "--service-id", clusterId,
            "--slots", slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--objectives", objectives,
            "--data-dir", dataDirectory,
            "--log-level", "warning",
        ];
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
        new(name,
        [
            "--clustering", "localhost",
            "--address", "127.0.0.1",
            "--silo-port", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--primary-port", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cluster-id", clusterId,
            "--service-id", clusterId,
            "--data-dir", dataDirectory,
            .. extraArguments,
        ], environment)
        {
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
        };

    /// <summary>Starts the program with arbitrary arguments (usage tests).</summary>
    public static SiloProcess StartRaw(string name, params string[] args) => new(name, args);

    /// <summary>Starts the program with arguments and extra environment variables (usage tests).</summary>
    public static SiloProcess StartRaw(string name, IReadOnlyDictionary<string, string> environment, params string[] args) => new(name, args, environment);

    /// <summary>Distinct free loopback ports: listeners bound to port 0 are held until all are chosen, then closed.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    /// <summary>Waits for the ready line; fails with the output tail when it does not come in time or the process exits.</summary>
    public async Task<string> WaitReadyAsync(TimeSpan timeout)
    {
        try
        {
            return await _ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} printed no ready line within {timeout.TotalSeconds} s.\n{Tail}");
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{Tail}");
        }
    }

    /// <summary>Waits for the process to exit (and its output to be read); returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds} s.\n{Tail}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the silo dies at once, without telling anyone.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM: the silo shuts down gracefully.</summary>
    public void Terminate()
    {
        if (SysKill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.\n{Tail}");
        }
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    internal static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            (isError ? _stderrClosed : _stdoutClosed).TrySetResult();
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue((isError ? "err: " : "out: ") + line);
            _all.Append(isError ? "err: " : "out: ").AppendLine(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            if (isError)
            {
                _stderr.AppendLine(line);
            }
        }

        if (!isError && line.StartsWith("hpbandster-silo ready:", StringComparison.Ordinal))
        {
            _ready.TrySetResult(line);
        }
    }

    private string SafeExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
