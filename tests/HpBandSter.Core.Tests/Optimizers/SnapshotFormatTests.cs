using HpBandSter.Objectives;
using HpBandSter.Optimizers;

namespace HpBandSter.Tests.Optimizers;

/// <summary>
/// Pins the snapshot format of the model-based optimizers to files written by an earlier build
/// (TestData/snapshots): a run journaled before a change must still restore after it, and the same run must
/// still write the same text.
/// </summary>
public sealed class SnapshotFormatTests
{
    [Theory]
    [InlineData(OptimizerKind.Bohb, "bohb_branin_seed5.json")]
    [InlineData(OptimizerKind.H2bo, "h2bo_branin_seed5.json")]
    public void StoredSnapshotRestoresAndTheSameRunWritesItAgain(OptimizerKind kind, string file)
    {
        var (settings, objective, optimizer) = MidRun(kind);
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "snapshots", file);
        var stored = File.ReadAllText(path);

        Assert.Contains("\"fitRandom\"", stored, StringComparison.Ordinal); // the stored run has fitted models
        Assert.Equal(stored, optimizer.TakeSnapshot());
        var restored = Optimizer.FromSnapshot(settings, objective.Space, Seed, stored);
        Assert.Equal(stored, restored.TakeSnapshot());

        // The restored optimizer proposes what the original proposes.
        for (var i = 0; i < 5; i++)
        {
            var a = optimizer.Ask();
            Assert.Equal(AskStatus.Job, a.Status);
            Assert.Equal(a.ToString(), restored.Ask().ToString());
        }
    }

    private const long Seed = 5;

    private static (OptimizerSettings, BenchmarkObjective, Optimizer) MidRun(OptimizerKind kind)
    {
        var objective = new BraninObjective();
        var settings = new OptimizerSettings(kind, objective.MinBudget, objective.MaxBudget, 4);
        var optimizer = new Optimizer(settings, objective.Space, Seed);
        OptimizerDriver.Run(optimizer, objective, slots: 2, orderSeed: 3, stopAfterEvents: 80);
        return (settings, objective, optimizer);
    }
}
