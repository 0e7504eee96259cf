using HpBandSter.Orleans.Runs;

namespace HpBandSter.Client.Tests;

public sealed class RunProgressTests
{
    private static readonly RunStatus Halfway = new()
    {
        RunId = "r",
        State = RunState.Running,
        IterationsPlanned = 4,
        IterationsOpened = 2,
        IterationsFinished = 1,
        EvaluationsPlanned = 65,
        Finished = 30,
        Running = 2,
        Queued = 3,
        ElapsedSeconds = 10,
        Incumbent = new IncumbentInfo(new WireJobKey(0, 0, 1, 243), [], 0.125),
    };

    [Fact]
    public void LineHasIterationsEvaluationsRateIncumbentElapsedAndRemaining()
    {
        Assert.Equal(
            "iterations 2 opened, 1 finished of 4 | evaluations 30/65, 2 running, 3 queued | 3.0 eval/s | incumbent 0.125 | elapsed 00:10, remaining ~00:12",
            RunProgress.Format(Halfway));
        Assert.EndsWith("| elapsed 00:10 | completed", RunProgress.Format(Halfway with { State = RunState.Completed }));
        Assert.Contains("incumbent - |", RunProgress.Format(Halfway with { Incumbent = null }));
    }

    [Fact]
    public void PlainProgressIsThrottledLinesWithoutCarriageReturnsAndAFinalLine()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var progress = new RunProgress(writer, terminal: false);
        progress.Report(Halfway);
        progress.Report(Halfway with { Finished = 31 }); // within a second of the first: not shown
        progress.Report(Halfway with { Finished = 65, State = RunState.Completed }); // left to Finish
        progress.Finish(Halfway with { Finished = 65, State = RunState.Completed });
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("evaluations 30/65", lines[0]);
        Assert.Contains("evaluations 65/65", lines[1]);
        Assert.DoesNotContain('\r', writer.ToString());
    }

    [Fact]
    public void TerminalProgressRewritesOneLine()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var progress = new RunProgress(writer, terminal: true);
        progress.Report(Halfway);
        progress.Finish(Halfway with { Finished = 65, State = RunState.Completed });
        var text = writer.ToString();
        Assert.StartsWith("\riterations ", text);
        Assert.Equal(2, text.Count(c => c == '\r'));
        Assert.EndsWith("\n", text);
        Assert.EndsWith("| completed", text.TrimEnd('\n', ' ')); // padded to cover the longer line it replaces
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
