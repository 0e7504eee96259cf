using HpBandSter.Logs;
using HpBandSter.Objectives;
using HpBandSter.Optimizers;

namespace HpBandSter.Tests.Optimizers;

public sealed class SequentialRunnerTests
{
    [Fact]
    public void QuickStartRunGivesHpBandSterSummaryNumbers()
    {
        var toy = new ToyObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.Bohb, 9, 243, 4), toy.Space, 1);
        var time = 1000.0;
        var result = SequentialRunner.Run(optimizer, job => OptimizerDriver.Evaluate(toy, 1, job), clock: () => time += 0.5);

        Assert.Equal(46, result.ConfigCount);
        Assert.Equal(65, result.RunCount);
        Assert.Equal(15.0, result.FullEvaluations, 12);
        var incumbent = result.GetIncumbentId();
        Assert.NotNull(incumbent);
        // The incumbent is the best of the runs on the max budget.
        var maxBudgetRuns = result.GetAllRuns().Where(r => r.Budget == 243).ToList();
        Assert.Equal(8, maxBudgetRuns.Count); // 1 + 1 + 2 + 4 configurations reach 243 in the four brackets
        Assert.Equal(maxBudgetRuns.MinBy(r => r.Loss)!.ConfigId, incumbent);
        Assert.True(result.GetAllRuns().All(r => r.TimeStamps.Finished > r.TimeStamps.Submitted));
    }

    [Fact]
    public void ExceptionsAndNanLossesBecomeCrashedRunsWithTheirText()
    {
        var toy = new ToyObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.HyperBand, 9, 243, 1), toy.Space, 2);
        var calls = 0;
        var result = SequentialRunner.Run(optimizer, job => ++calls switch
        {
            1 => throw new InvalidOperationException("CUDA out of memory"),
            2 => JobOutcome.Success(double.NaN),
            _ => OptimizerDriver.Evaluate(toy, 2, job),
        });

        var runs = result.GetAllRuns().OrderBy(r => r.TimeStamps.Finished).ToList();
        Assert.True(runs[0].IsCrashed);
        Assert.Contains("CUDA out of memory", runs[0].ErrorLogs);
        Assert.True(runs[1].IsCrashed);
        Assert.False(runs[2].IsCrashed);
        Assert.Equal(40, result.RunCount); // crashed slots are refilled: the bracket still runs 27 + 9 + 3 + 1
    }

    [Fact]
    public void ExportedLogsReadBackToTheSameSummary()
    {
        var branin = new BraninObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.Bohb, 9, 243, 3), branin.Space, 4);
        var time = 1_700_000_000.0;
        var result = SequentialRunner.Run(optimizer, job => OptimizerDriver.Evaluate(branin, 4, job), clock: () => time += 0.25);

        var dir = Path.Combine(Path.GetTempPath(), "hpb-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            HpBandSterLogWriter.Export(result, dir, configSpaceJson: branin.Space.ToJson());
            var log = HpBandSterLogReader.Read(dir);
            Assert.Equal(result.ConfigCount, log.Result.ConfigCount);
            Assert.Equal(result.RunCount, log.Result.RunCount);
            Assert.Equal(result.GetIncumbentId(), log.Result.GetIncumbentId());
            Assert.Equal(result.GetIncumbentTrajectory().ConfigIds, log.Result.GetIncumbentTrajectory().ConfigIds);
            Assert.NotNull(log.ConfigSpaceJson);
            Assert.Equal(2, HpBandSter.Spaces.ConfigurationSpace.FromJson(log.ConfigSpaceJson!).Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
