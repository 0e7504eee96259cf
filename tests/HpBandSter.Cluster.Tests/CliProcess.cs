using System.Diagnostics;
using System.Text;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// The <c>hpbandster</c> command-line program (<c>dotnet hpbandster.dll ...</c>, copied next to the tests by the
/// project reference) as a real child process, for tests that kill it. Dispose kills it if it still runs.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CliProcess(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(SiloProcess.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hpbandster.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("HPBANDSTER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append("out: ", e.Data);
        _process.ErrorDataReceived += (_, e) => Append("err: ", e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to stdout and stderr so far (lines prefixed "out: " or "err: ").</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return $"--- hpbandster (pid {_process.Id}) output ---\n{_output}---";
            }
        }
    }

    /// <summary>Starts <c>dotnet hpbandster.dll</c> with <paramref name="args"/>.</summary>
    public static CliProcess Start(params string[] args) => new(args);

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public void Kill()
    {
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
        }

        _process.Dispose();
    }

    private void Append(string prefix, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(prefix).AppendLine(line);
        }
    }
}
