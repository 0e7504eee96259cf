using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace HpBandSter.TestSupport;

/// <summary>
/// A real child process that a test or benchmark started and must end. Captures stdout and stderr line by line (every
/// line, and the last lines for failure messages, prefixed "out: " or "err: "), optionally waits for a ready line,
/// waits for the exit, and kills the whole process tree. Dispose kills it if it still runs. The programs' own helpers
/// (silos, the command-line program) derive from it and add what only they need.
/// </summary>
public abstract class ChildProcess : IDisposable
{
    /// <summary>How long a kill waits for the process to be gone.</summary>
    private const int KillWaitMilliseconds = 10_000;

    private readonly Process _process;
    private readonly int _tailLines;
    private readonly string? _readyLinePrefix;
    private readonly Queue<string> _tail = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _all = new();
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Starts <paramref name="start"/> (which must redirect stdout and stderr). With <paramref name="readyLinePrefix"/>,
    /// the first stdout line that starts with it completes <see cref="Ready"/>; <paramref name="tailLines"/> lines are
    /// kept for <see cref="Tail"/>.
    /// </summary>
    protected ChildProcess(string name, ProcessStartInfo start, string? readyLinePrefix, int tailLines)
    {
        Name = name;
        _readyLinePrefix = readyLinePrefix;
        _tailLines = tailLines;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, isError: false);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, isError: true);
        if (readyLinePrefix is not null)
        {
            _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException($"{Name} exited with code {SafeExitCode()} before it was ready."));
        }

        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>A name for messages.</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The ready line's task (completes when the process prints it; fails when the process exits first).</summary>
    public Task<string> Ready => _ready.Task;

    /// <summary>When the ready line arrived (UTC), or null.</summary>
    public DateTime? ReadyAt { get; private set; }

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

    /// <summary>Everything written to stdout and stderr so far (each line prefixed "out: " or "err: ").</summary>
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

    /// <summary>SIGKILL to the process and its children: it dies at once, without telling anyone. Does not wait.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGKILL to the process and its children, then waits (at most 10 s) until the process is gone.</summary>
    public void KillAndWait()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(KillWaitMilliseconds);
    }

    /// <summary>Kills the process tree if it still runs (waiting at most 10 s for it to be gone).</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                KillAndWait();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
        GC.SuppressFinalize(this);
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
            while (_tail.Count > _tailLines)
            {
                _tail.Dequeue();
            }

            if (isError)
            {
                _stderr.AppendLine(line);
            }
        }

        if (!isError && _readyLinePrefix is not null && line.StartsWith(_readyLinePrefix, StringComparison.Ordinal) && !_ready.Task.IsCompleted)
        {
            ReadyAt = DateTime.UtcNow;
            _ready.TrySetResult(line);
        }
    }

    private string SafeExitCode()
    {
        try
        {
            return _process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
