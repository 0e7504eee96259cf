namespace HpBandSter.Cluster.Tests;

/// <summary>
/// The <c>hpbandster</c> command-line program (<c>dotnet hpbandster.dll ...</c>, copied next to the tests by the
/// project reference) as a real child process, for tests that kill it. Dispose kills it if it still runs.
/// </summary>
internal sealed class CliProcess : ChildProcess
{
    private CliProcess(IEnumerable<string> args)
        : base("hpbandster", StartInfo(args), readyLinePrefix: null, tailLines: 60)
    {
    }

    /// <summary>Everything written to stdout and stderr so far (lines prefixed "out: " or "err: ").</summary>
    public string Output => $"--- hpbandster (pid {Pid}) output ---\n{AllOutput}---";

    /// <summary>Starts <c>dotnet hpbandster.dll</c> with <paramref name="args"/>.</summary>
    public static CliProcess Start(params string[] args) => new(args);

    /// <summary>
    /// Runs <c>dotnet hpbandster.dll</c> with <paramref name="args"/> to its end, with only the HPBANDSTER_* variables of
    /// <paramref name="environment"/>; kills it and fails the test when it has not exited after <paramref name="deadline"/>.
    /// Logs the command's exit code and duration to <paramref name="output"/>.
    /// </summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> RunToEndAsync(
        string[] args, IReadOnlyDictionary<string, string>? environment, TimeSpan deadline, Xunit.Abstractions.ITestOutputHelper output)
    {
        var start = DotnetProgram.StartInfo(Path.Combine(AppContext.BaseDirectory, "hpbandster.dll"), args, environment);
        start.RedirectStandardInput = false;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var command = $"hpbandster {string.Join(' ', args.Take(2))}";
        try
        {
            await process.WaitForExitAsync().WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{command} did not exit within {deadline.TotalSeconds} s; stderr: {await stderr}");
        }

        output.WriteLine($"{command}: exit {process.ExitCode} after {clock.Elapsed.TotalSeconds:0.0} s");
        return (process.ExitCode, await stdout, await stderr);
    }

    private static System.Diagnostics.ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = DotnetProgram.StartInfo(Path.Combine(AppContext.BaseDirectory, "hpbandster.dll"), args);
        start.RedirectStandardInput = false; // no test writes to it: the program keeps this process's stdin
        return start;
    }
}
