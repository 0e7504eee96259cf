using System.Text.Json.Nodes;
using HpBandSter.Results;
using HpBandSter.Spaces;

namespace HpBandSter.Tests.Results;

public sealed class OptimizationResultTests
{
    [Fact]
    public void ConstructorMakesTimesRelativeAndSortsRunsByBudget()
    {
        var result = new ResultBuilder()
            .Config(0, 0, 0)
            .Run(0, 0, 0, 9, 0.3, 1030)
            .Run(0, 0, 0, 1, 0.5, 1010)
            .Run(0, 0, 0, 3, 0.4, 1020)
            .Build(timeRef: 1000);
        var runs = result.GetRunsById(new ConfigId(0, 0, 0));
        Assert.Equal([1.0, 3.0, 9.0], runs.Select(r => r.Budget));
        Assert.Equal(new RunTimestamps(9, 9.5, 10), runs[0].TimeStamps);
        Assert.Equal(30.0, runs[2].TimeStamps.Finished);
    }

    [Fact]
    public void ConstructorRejectsInconsistentInput()
    {
        var config = new ConfigRecord(new ConfigId(0, 0, 0), Configuration.Empty, []);
        var settings = new ResultSettings(1, 9, [1, 3, 9], 3, 0);
        var run = new Run(new ConfigId(0, 0, 0), 1, 0.5, null, default, null);

        var duplicateConfig = Assert.Throws<ArgumentException>(() => new OptimizationResult([config, config], [], settings));
        Assert.Contains("[0, 0, 0]", duplicateConfig.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<ArgumentException>(() => new OptimizationResult([config], [run with { ConfigId = new ConfigId(4, 0, 2) }], settings));
        Assert.Contains("[4, 0, 2]", unknown.Message, StringComparison.Ordinal);

        var twice = Assert.Throws<ArgumentException>(() => new OptimizationResult([config], [run, run with { Loss = 0.1 }], settings));
        Assert.Contains("budget 1", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownIdsAreReportedByName()
    {
        var result = new ResultBuilder().Config(0, 0, 0).Build();
        var e = Assert.Throws<KeyNotFoundException>(() => result.GetRunsById(new ConfigId(7, 0, 1)));
        Assert.Contains("[7, 0, 1]", e.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => result[new ConfigId(7, 0, 1)]);
    }

    [Fact]
    public void IncumbentIsNullWithoutARunOnTheMaximumBudget()
    {
        var result = new ResultBuilder()
            .Config(0, 0, 0).Config(0, 0, 1)
            .Run(0, 0, 0, 1, 0.1, 1)
            .Run(0, 0, 1, 3, 0.2, 2)
            .Run(0, 0, 1, 9, null, 3, "Traceback")
            .Build();
        Assert.Null(result.GetIncumbentId());
        Assert.Null(result.GetIncumbentRun());
        Assert.Equal(new ConfigId(0, 0, 0), result.GetIncumbentId(IncumbentSelection.AnyRun));

        // The crashed 9-run does not count: the config's highest successful run is the one on budget 3.
        var perConfig = result.GetIncumbentRun(IncumbentSelection.HighestBudgetPerConfig)!;
        Assert.Equal(new ConfigId(0, 0, 0), perConfig.ConfigId);
    }

    [Fact]
    public void IncumbentTiesGoToTheSmallerIdAndInfiniteLossesTakePartAsInHpBandSter()
    {
        var result = new ResultBuilder()
            .Config(0, 0, 2).Config(0, 0, 1).Config(1, 0, 0)
            .Run(0, 0, 2, 9, 0.25, 1)
            .Run(0, 0, 1, 9, 0.25, 2)
            .Run(1, 0, 0, 9, double.NegativeInfinity, 3)
            .Build();

        // HpBandSter takes min() over (loss, config_id): -inf is a loss like any other there.
        Assert.Equal(new ConfigId(1, 0, 0), result.GetIncumbentId());

        // The any-budget selections only consider finite losses, then prefer the smaller id on ties.
        Assert.Equal(new ConfigId(0, 0, 1), result.GetIncumbentId(IncumbentSelection.AnyRun));

        var onlyInfinite = new ResultBuilder().Config(0, 0, 0).Run(0, 0, 0, 9, double.PositiveInfinity, 1).Build();
        Assert.Equal(new ConfigId(0, 0, 0), onlyInfinite.GetIncumbentId());
        Assert.Null(onlyInfinite.GetIncumbentId(IncumbentSelection.AnyRun));
    }

    [Fact]
    public void NaNLossesNeverBecomeTheIncumbent()
    {
        var result = new ResultBuilder()
            .Config(0, 0, 0).Config(0, 0, 1)
            .Run(0, 0, 0, 9, double.NaN, 1)
            .Run(0, 0, 1, 9, 0.7, 2)
            .Build();
        Assert.Equal(new ConfigId(0, 0, 1), result.GetIncumbentId());
    }

    [Fact]
    public void AnyRunTiesPreferTheLargerBudget()
    {
        var result = new ResultBuilder()
            .Config(0, 0, 0).Config(0, 0, 1)
            .Run(0, 0, 0, 1, 0.5, 1)
            .Run(0, 0, 1, 3, 0.5, 2)
            .Build();
        Assert.Equal(new ConfigId(0, 0, 1), result.GetIncumbentId(IncumbentSelection.AnyRun));
    }

    [Fact]
    public void HighestBudgetPerConfigUsesEachConfigsLatestResultOnly()
    {
        // (0,0,0) was great on budget 1 but worse on 3; (0,0,1) only ran on 1.
        var result = new ResultBuilder()
            .Config(0, 0, 0).Config(0, 0, 1)
            .Run(0, 0, 0, 1, 0.1, 1)
            .Run(0, 0, 0, 3, 0.4, 3)
            .Run(0, 0, 1, 1, 0.3, 2)
            .Build();
        Assert.Equal(new ConfigId(0, 0, 1), result.GetIncumbentId(IncumbentSelection.HighestBudgetPerConfig));
        Assert.Equal(new ConfigId(0, 0, 0), result.GetIncumbentId(IncumbentSelection.AnyRun));
    }

    [Fact]
    public void TrajectoryOmitsTheFinalPointWhenTheLastRunHasTheIncumbentsLoss()
    {
        // HpBandSter compares the incumbent loss with the LAST run's loss (the loop variable), not its identity.
        var result = new ResultBuilder()
            .Config(0, 0, 0).Config(0, 0, 1)
            .Run(0, 0, 0, 1, 0.5, 1)
            .Run(0, 0, 1, 1, 0.5, 2)
            .Build();
        var t = result.GetIncumbentTrajectory();
        Assert.Equal([new ConfigId(0, 0, 0)], t.ConfigIds);
        Assert.Equal([1.0], t.TimesFinished);
    }

    [Fact]
    public void TrajectoryAddsTheFinalPointWhenTheLastRunCrashed()
    {
        var result = new ResultBuilder()
            .Config(0, 0, 0).Config(0, 0, 1)
            .Run(0, 0, 0, 1, 0.5, 1)
            .Run(0, 0, 1, 1, null, 5, "Worker died unexpectedly.")
            .Build();
        var t = result.GetIncumbentTrajectory();
        Assert.Equal([new ConfigId(0, 0, 0), new ConfigId(0, 0, 0)], t.ConfigIds);
        Assert.Equal([1.0, 5.0], t.TimesFinished);
        Assert.Equal([0.5, 0.5], t.Losses);
    }

    [Fact]
    public void TrajectoryStartsFromMinBudgetSoAnInfiniteLossAboveItCanLead()
    {
        // bigger_is_better compares with HB_config['min_budget'] at the start: a run on a larger budget becomes the
        // incumbent whatever its loss, +inf included. A NaN loss is skipped instead.
        var result = new ResultBuilder()
            .Config(0, 0, 0).Config(0, 0, 1).Config(0, 0, 2)
            .Run(0, 0, 0, 3, double.NaN, 1)
            .Run(0, 0, 1, 3, double.PositiveInfinity, 2)
            .Run(0, 0, 2, 3, 0.8, 3)
            .Build(minBudget: 1);
        var t = result.GetIncumbentTrajectory();
        Assert.Equal([new ConfigId(0, 0, 1), new ConfigId(0, 0, 2)], t.ConfigIds);
        Assert.Equal([double.PositiveInfinity, 0.8], t.Losses);

        var sameStart = new ResultBuilder().Config(0, 0, 1).Run(0, 0, 1, 3, double.PositiveInfinity, 2).Build(minBudget: 3);
        Assert.Equal(0, sameStart.GetIncumbentTrajectory().Count);
    }

    [Fact]
    public void TrajectoryOfAResultWithoutLossesIsEmpty()
    {
        Assert.Same(IncumbentTrajectory.Empty, new ResultBuilder().Build().GetIncumbentTrajectory());
        var crashedOnly = new ResultBuilder().Config(0, 0, 0).Run(0, 0, 0, 9, null, 1, "boom").Build();
        Assert.Equal(0, crashedOnly.GetIncumbentTrajectory().Count);
        Assert.Equal(0, crashedOnly.GetIncumbentTrajectory(allBudgets: false).Count);
    }

    [Fact]
    public void EqualFinishTimesKeepDataOrder()
    {
        var result = new ResultBuilder()
            .Config(0, 0, 1).Config(0, 0, 0)
            .Run(0, 0, 1, 1, 0.5, 7)
            .Run(0, 0, 0, 1, 0.4, 7)
            .Build();
        var t = result.GetIncumbentTrajectory();
        Assert.Equal([new ConfigId(0, 0, 1), new ConfigId(0, 0, 0)], t.ConfigIds);
    }

    [Fact]
    public void LearningCurvesAcceptACustomExtractor()
    {
        var result = new ResultBuilder()
            .Config(0, 0, 0).Config(0, 0, 1)
            .Run(0, 0, 0, 1, 0.5, 10)
            .Run(0, 0, 0, 3, 0.25, 20)
            .Run(0, 0, 1, 1, null, 15, "boom")
            .Build();
        var byTime = result.GetLearningCurves(runs => [runs.Select(r => new LearningCurvePoint(r.TimeStamps.Finished, r.Loss ?? double.NaN)).ToArray()]);
        Assert.Equal([new ConfigId(0, 0, 0), new ConfigId(0, 0, 1)], byTime.Keys);
        Assert.Equal([new(10, 0.5), new(20, 0.25)], byTime[new ConfigId(0, 0, 0)][0]);
        Assert.True(double.IsNaN(byTime[new ConfigId(0, 0, 1)][0][0].Y));

        var byBudget = result.GetLearningCurves();
        Assert.Equal([new(1, 0.5), new(3, 0.25)], byBudget[new ConfigId(0, 0, 0)][0]);
        Assert.Empty(byBudget[new ConfigId(0, 0, 1)][0]);
    }

    [Fact]
    public void IdToConfigMappingHoldsDeepCopies()
    {
        var result = new ResultBuilder().Config(0, 0, 0, modelBased: true).Build();
        var mapping = result.GetId2ConfigMapping();
        mapping[new ConfigId(0, 0, 0)].Info["model_based_pick"] = false;
        Assert.True(result[new ConfigId(0, 0, 0)].ModelBasedPick);
    }

    [Fact]
    public void CountsAndIterations()
    {
        var empty = new ResultBuilder().Build();
        Assert.Equal(0, empty.NumIterations());
        Assert.Equal(0, empty.RunCount);
        Assert.Equal(0.0, empty.TotalBudget);

        var warm = new ResultBuilder().Config(-1, 0, 0).Config(-1, 0, 1).Build();
        Assert.Equal(0, warm.NumIterations());

        var result = new ResultBuilder()
            .Config(0, 0, 0, modelBased: false).Config(2, 1, 0, modelBased: true).Config(-1, 0, 0)
            .Run(0, 0, 0, 1, 0.5, 1).Run(0, 0, 0, 3, 0.5, 2).Run(2, 1, 0, 9, null, 3, "boom")
            .Build();
        Assert.Equal(3, result.NumIterations());
        Assert.Equal(3, result.RunCount);
        Assert.Equal(13.0, result.TotalBudget);
        Assert.Equal(13.0 / 9.0, result.FullEvaluations, 15);
        Assert.Equal(new PickCounts(1, 1, 1), result.CountPicks());
    }

    [Fact]
    public void CorrelationAcrossBudgetsPairsFiniteLossesPerConfig()
    {
        // Budget 1 vs 3: SciPy's documented example spearmanr([1,2,3,4,5], [5,6,7,8,7]) -> (0.8207826816681233, 0.08858700531354381).
        var builder = new ResultBuilder();
        double[] low = [1, 2, 3, 4, 5];
        double[] high = [5, 6, 7, 8, 7];
        for (var i = 0; i < 5; i++)
        {
            builder.Config(0, 0, i).Run(0, 0, i, 1, low[i], i + 1).Run(0, 0, i, 3, high[i], i + 10);
        }

        // Pairs that must be left out: a crash, an infinite loss; and a single pair on 3 vs 9.
        builder.Config(0, 0, 5).Run(0, 0, 5, 1, 100, 20).Run(0, 0, 5, 3, null, 21, "boom");
        builder.Config(0, 0, 6).Run(0, 0, 6, 1, double.PositiveInfinity, 22).Run(0, 0, 6, 3, 0.1, 23);
        builder.Run(0, 0, 0, 9, 0.5, 30);

        var correlations = builder.Build().GetCorrelationAcrossBudgets();
        Assert.Equal(3, correlations.Count);

        var c13 = correlations[0];
        Assert.Equal((1.0, 3.0, 5), (c13.LowerBudget, c13.HigherBudget, c13.Count));
        Assert.Equal(0.8207826816681233, c13.Rho, 14);
        Assert.Equal(0.08858700531354381, c13.PValue, 12);

        var c19 = correlations[1];
        Assert.Equal((1.0, 9.0, 1), (c19.LowerBudget, c19.HigherBudget, c19.Count));
        Assert.True(double.IsNaN(c19.Rho));
        Assert.True(double.IsNaN(c19.PValue));

        Assert.Equal((3.0, 9.0, 1), (correlations[2].LowerBudget, correlations[2].HigherBudget, correlations[2].Count));
    }

    [Fact]
    public void RunCrashStatusFollowsHpBandSter()
    {
        var stamps = new RunTimestamps(0, 0, 0);
        Assert.False(new Run(new ConfigId(0, 0, 0), 1, 0.5, null, stamps, null).IsCrashed);
        Assert.True(new Run(new ConfigId(0, 0, 0), 1, null, null, stamps, "x").IsCrashed);
        Assert.True(new Run(new ConfigId(0, 0, 0), 1, double.NaN, null, stamps, null).IsCrashed);
        Assert.True(new Run(new ConfigId(0, 0, 0), 1, double.NegativeInfinity, new JsonObject(), stamps, null).IsCrashed);
    }
}
