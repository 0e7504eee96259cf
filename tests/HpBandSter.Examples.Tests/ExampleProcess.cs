using System.Diagnostics;
using System.Text;

namespace HpBandSter.Examples.Tests;

/// <summary>One example program run as a real child process (<c>dotnet &lt;example&gt;.dll args</c>), killed on dispose if still running.</summary>
internal sealed class ExampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private ExampleProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => OnLine(_stdout, e.Data, notify: true);
        _process.ErrorDataReceived += (_, e) => OnLine(_stderr, e.Data, notify: false);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The example's name (its dll without extension, or its script's file name), for messages.</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the program has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What the program wrote to stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>What the program wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stdout)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet &lt;name&gt;.dll</c> from the test's output directory in <paramref name="workingDirectory"/>.</summary>
    public static ExampleProcess Start(string name, string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, name + ".dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project references the example projects so that their programs are copied here.");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new ExampleProcess(name, Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>
    /// Starts an example's script (<c>bash &lt;script&gt; args</c>) in <paramref name="workingDirectory"/>, with
    /// <paramref name="environment"/> added to the test's environment (a null value removes the variable).
    /// </summary>
    public static ExampleProcess StartScript(string script, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        Assert.True(File.Exists(script), $"{script} is missing.");
        return StartProgram("bash", workingDirectory, environment, [script, .. args]);
    }

    /// <summary>Starts <paramref name="program"/> (looked up on PATH) like <see cref="StartScript"/>.</summary>
    public static ExampleProcess StartProgram(string program, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var name = program == "bash" && args.Length > 0 ? Path.GetFileName(args[0]) : program;
        return new ExampleProcess(name, Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    /// <summary>Waits until the program writes a stdout line matching <paramref name="match"/> (or fails after <paramref name="timeout"/>, or when it exits first).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            var earlier = _stdout.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match);
            if (earlier is not null)
            {
                return earlier;
            }

            _waiters.Add((match, seen));
        }

        var exited = _process.WaitForExitAsync();
        var finished = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (finished == seen.Task)
        {
            return await seen.Task;
        }

        var why = finished == exited ? $"it exited with code {_process.ExitCode} first" : $"it did not within {timeout.TotalSeconds:0} s";
        Assert.Fail($"{Name} was expected to print {what}, but {why}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return string.Empty;
    }

    /// <summary>Waits for the program to exit by itself within <paramref name="timeout"/> and returns its exit code and stdout.</summary>
    public async Task<(int ExitCode, string Stdout)> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Name} did not exit within {timeout.TotalSeconds:0} s.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        _process.WaitForExit(); // drains the redirected output
        return (_process.ExitCode, Stdout);
    }

    /// <summary>Kills the program (and its children) if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void OnLine(StringBuilder buffer, string? line, bool notify)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> matched = [];
        lock (_stdout)
        {
            buffer.AppendLine(line);
            if (notify)
            {
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    matched.Add(waiter.Seen);
                }
            }
        }

        foreach (var seen in matched)
        {
            seen.TrySetResult(line);
        }
    }
}
