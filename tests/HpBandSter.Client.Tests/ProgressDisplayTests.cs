using HpBandSter.Orleans.Runs;
using StoredSummary = HpBandSter.Orleans.Storage.RunSummary;

namespace HpBandSter.Client.Tests;

/// <summary>The progress line of <c>watch</c> on an embedded store, and notes between progress lines.</summary>
public sealed class ProgressDisplayTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void StoreLineHasEvaluationsRateIncumbentElapsedRemainingAndTheStoresLastChange()
    {
        var running = new StoredSummary("r", "running", "toy", "bohb", 20, 65, 0.125, Created, Created.AddSeconds(8));
        Assert.Equal(
            "evaluations 20/65 | 2.0 eval/s | incumbent 0.125 | elapsed 00:10, remaining ~00:22 | store updated 00:02 ago",
            RunProgress.Format(running, Created.AddSeconds(10)));
        Assert.Equal(
            "evaluations 0/65 | 0.0 eval/s | incumbent - | elapsed 1:00:00, remaining ? | store updated 1:00:00 ago",
            RunProgress.Format(running with { Finished = 0, BestLoss = null, UpdatedAt = Created }, Created.AddHours(1)));

        // An ended run: elapsed until its last change, and its state instead of an estimate.
        var completed = running with { State = "completed", Finished = 65, UpdatedAt = Created.AddSeconds(13) };
        Assert.Equal("evaluations 65/65 | 5.0 eval/s | incumbent 0.125 | elapsed 00:13 | completed", RunProgress.Format(completed, Created.AddHours(2)));
    }

    [Fact]
    public void ANoteEndsTheUpdatingLineAndProgressGoesOnBelowIt()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var progress = new RunProgress(writer, terminal: true);
        var status = new RunStatus { RunId = "r", State = RunState.Running, IterationsPlanned = 1, EvaluationsPlanned = 4, Finished = 1, ElapsedSeconds = 1 };
        progress.Report(status);
        progress.Note("note: something");
        progress.Finish(status with { State = RunState.Completed, Finished = 4 });
        var lines = writer.ToString().Split('\n');
        Assert.StartsWith("\riterations ", lines[0]);
        Assert.Equal("note: something", lines[1]);
        Assert.StartsWith("\riterations ", lines[2]);
        Assert.EndsWith("| completed", lines[2]);
        Assert.Equal(string.Empty, lines[3]);
    }

    [Fact]
    public void PlainNotesAreLinesOfTheirOwn()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var progress = new RunProgress(writer, terminal: false);
        progress.Report("a");
        progress.Note("note: b");
        progress.Finish("c");
        Assert.Equal("a\nnote: b\nc\n", writer.ToString());
    }
}
