namespace HpBandSter.Client.Tests;

/// <summary>Ctrl+C (the invocation's token) cancels the run on the cluster, prints what it has and exits with 130.</summary>
public sealed class CancellationTests
{
    [Fact]
    public void CtrlCCancelsTheRunAndPrintsWhatItHas()
    {
        using var data = new TempDirectory();
        using var ctrlC = new CancellationTokenSource();
        var output = new CancelOnHeader(ctrlC);
        var error = new StringWriter { NewLine = "\n" };

        // One slot and 0.2 s per evaluation: the 40 evaluations would take 8 s; Ctrl+C comes once the run has started.
        var exit = CliRunner.Run(output, error, ctrlC.Token,
            "run", "--objective", "toy", "--iterations", "1", "--seed", "3", "--workers", "1", "--sleep", "0.2", "--run-id", "to-cancel", "--data-dir", data.Path);
        Assert.True(exit == Cli.Interrupted, $"exit {exit}; stdout: {output}; stderr: {error}");
        var text = output.ToString();
        Assert.StartsWith("run to-cancel: bohb on toy", text);
        Assert.Matches(@"Run to-cancel was cancelled after \d+ of 40 evaluations", text);
        Assert.DoesNotContain("A total of 40 runs were executed.", text);
        Assert.Contains("Interrupted: run to-cancel cancelled.", error.ToString());
        Assert.Contains("| cancelled", error.ToString());
    }

    /// <summary>Signals Ctrl+C when the CLI flushes its header line (printed once the run was accepted).</summary>
    private sealed class CancelOnHeader : StringWriter
    {
        private readonly CancellationTokenSource _ctrlC;

        public CancelOnHeader(CancellationTokenSource ctrlC)
        {
            _ctrlC = ctrlC;
            NewLine = "\n";
        }

        public override void Flush()
        {
            base.Flush();
            if (ToString().StartsWith("run ", StringComparison.Ordinal))
            {
                _ctrlC.Cancel();
            }
        }
    }
}
