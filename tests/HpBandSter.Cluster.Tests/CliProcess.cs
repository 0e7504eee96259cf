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

    private static System.Diagnostics.ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = DotnetProgram.StartInfo(Path.Combine(AppContext.BaseDirectory, "hpbandster.dll"), args);
        start.RedirectStandardInput = false; // no test writes to it: the program keeps this process's stdin
        return start;
    }
}
