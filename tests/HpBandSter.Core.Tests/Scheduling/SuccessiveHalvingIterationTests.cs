using System.Text.Json.Nodes;
using HpBandSter.Scheduling;
using HpBandSter.Spaces;

namespace HpBandSter.Tests.Scheduling;

public sealed class SuccessiveHalvingIterationTests
{
    private static readonly BracketPlan NineThreeOne = new([9, 3, 1], [1, 3, 9]);

    /// <summary>Hands out configurations {"k": 0}, {"k": 1}, … and remembers the budgets it was asked for.</summary>
    private sealed class CountingSampler
    {
        public List<double> Budgets { get; } = [];

        public SampledConfiguration Sample(double budget)
        {
            var k = Budgets.Count;
            Budgets.Add(budget);
            return new SampledConfiguration(
                new Configuration([new KeyValuePair<string, object>("k", (long)k)]),
                new JsonObject { ["model_based_pick"] = false });
        }
    }

    private static (SuccessiveHalvingIteration Iteration, CountingSampler Sampler) Create(BracketPlan plan, int iteration = 0)
    {
        var sampler = new CountingSampler();
        return (new SuccessiveHalvingIteration(iteration, plan, sampler.Sample), sampler);
    }

    private static List<ScheduledRun> TakeAll(SuccessiveHalvingIteration iteration)
    {
        var runs = new List<ScheduledRun>();
        while (iteration.NextRun() is { } run)
        {
            runs.Add(run);
        }

        return runs;
    }

    private static void Report(SuccessiveHalvingIteration iteration, IReadOnlyList<ScheduledRun> runs, params double?[] losses)
    {
        Assert.Equal(runs.Count, losses.Length);
        for (var i = 0; i < runs.Count; i++)
        {
            iteration.RegisterResult(runs[i].Id, runs[i].Budget, losses[i], losses[i] is null ? "Traceback: boom" : null);
        }
    }

    [Fact]
    public void FirstStageSamplesNewConfigurationsWithStageZeroIds()
    {
        var (iteration, sampler) = Create(NineThreeOne, iteration: 7);
        var runs = TakeAll(iteration);

        Assert.Equal(Enumerable.Range(0, 9).Select(k => new ConfigId(7, 0, k)), runs.Select(r => r.Id));
        Assert.All(runs, r => Assert.True(r.IsNewConfiguration));
        Assert.All(runs, r => Assert.Equal(1.0, r.Budget));
        Assert.Equal(Enumerable.Repeat(1.0, 9), sampler.Budgets);
        Assert.Equal(9, iteration.NumRunning);
        Assert.Equal([9, 0, 0], iteration.ActualNumConfigs);
        Assert.All(iteration.Data.Values, d => Assert.Equal(ConfigStatus.Running, d.Status));
        Assert.Equal(0L, runs[0].Config["k"]);
        Assert.False(iteration.Data[runs[0].Id].Info["model_based_pick"]!.GetValue<bool>());
    }

    [Fact]
    public void WaitsWhileTheStageHasRunningConfigurations()
    {
        var (iteration, _) = Create(NineThreeOne);
        var runs = TakeAll(iteration);
        Report(iteration, runs[..8], 1, 2, 3, 4, 5, 6, 7, 8);

        Assert.Null(iteration.NextRun());
        Assert.Equal(0, iteration.CurrentStage);
        Assert.Equal(1, iteration.NumRunning);
        Assert.Equal(ConfigStatus.Review, iteration.Data[runs[0].Id].Status);
    }

    [Fact]
    public void StageEndPromotesTheBestAndTerminatesTheRest()
    {
        var (iteration, sampler) = Create(NineThreeOne);
        var runs = TakeAll(iteration);
        Report(iteration, runs, 5, 9, 0.5, 7, 2, 8, 6, 1, 4);

        var promoted = TakeAll(iteration);

        Assert.Equal(1, iteration.CurrentStage);
        // The three lowest losses (0.5, 1, 2) belong to k = 2, 7, 4; they run again in the order they were added.
        Assert.Equal([new ConfigId(0, 0, 2), new ConfigId(0, 0, 4), new ConfigId(0, 0, 7)], promoted.Select(r => r.Id));
        Assert.All(promoted, r => Assert.False(r.IsNewConfiguration));
        Assert.All(promoted, r => Assert.Equal(3.0, r.Budget));
        Assert.Equal(9, sampler.Budgets.Count); // nothing new sampled
        Assert.Equal([9, 3, 0], iteration.ActualNumConfigs);
        foreach (var datum in iteration.Data.Values)
        {
            var expected = promoted.Any(r => r.Id == datum.Id) ? ConfigStatus.Running : ConfigStatus.Terminated;
            Assert.Equal(expected, datum.Status);
        }
    }

    [Fact]
    public void PromotedConfigurationsQueueInInsertionOrderNotRankOrder()
    {
        var (iteration, _) = Create(new BracketPlan([4, 2], [1, 3]));
        var runs = TakeAll(iteration);
        Report(iteration, runs, 3, 1, 4, 0.5);

        var promoted = TakeAll(iteration);

        Assert.Equal([new ConfigId(0, 0, 1), new ConfigId(0, 0, 3)], promoted.Select(r => r.Id));
    }

    [Fact]
    public void PromotedConfigurationsAreQueuedUntilHandedOut()
    {
        var (iteration, _) = Create(new BracketPlan([3, 1], [1, 3]));
        var runs = TakeAll(iteration);
        Report(iteration, runs, 2, 1, 3);

        var next = iteration.NextRun(); // ranks stage 0, queues k = 1, hands it out
        Assert.Equal(new ConfigId(0, 0, 1), next!.Value.Id);
        Assert.Equal(ConfigStatus.Running, iteration.Data[next.Value.Id].Status);
        Assert.Equal(3.0, iteration.Data[next.Value.Id].Budget);
    }

    [Fact]
    public void FullBracketCompletesEveryConfiguration()
    {
        var (iteration, _) = Create(NineThreeOne);
        Report(iteration, TakeAll(iteration), 5, 9, 0.5, 7, 2, 8, 6, 1, 4);
        var stage1 = TakeAll(iteration);
        Report(iteration, stage1, 0.3, 0.1, 0.2); // k = 2, 4, 7
        var stage2 = TakeAll(iteration);
        Assert.Equal([new ConfigId(0, 0, 4)], stage2.Select(r => r.Id));
        Assert.Equal(9.0, stage2[0].Budget);
        Assert.False(iteration.IsFinished);

        Report(iteration, stage2, 0.05);

        Assert.Null(iteration.NextRun());
        Assert.True(iteration.IsFinished);
        Assert.Equal(3, iteration.CurrentStage);
        Assert.Equal(0, iteration.NumRunning);
        Assert.All(iteration.Data.Values, d => Assert.Equal(ConfigStatus.Completed, d.Status));
        Assert.Null(iteration.NextRun());

        var winner = iteration.Data[new ConfigId(0, 0, 4)];
        Assert.Equal([1.0, 3.0, 9.0], winner.Results.Select(r => r.Budget));
        Assert.Equal([2.0, 0.1, 0.05], winner.Results.Select(r => r.Loss!.Value));
        Assert.Equal(0.1, winner.ResultAt(3)!.Loss);
        Assert.Null(winner.ResultAt(27));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteOrMissingLossCrashes(double? loss)
    {
        var (iteration, _) = Create(new BracketPlan([2, 1], [1, 3]));
        var runs = TakeAll(iteration);

        iteration.RegisterResult(runs[0].Id, 1, loss, "Worker died unexpectedly.");

        var datum = iteration.Data[runs[0].Id];
        Assert.Equal(ConfigStatus.Crashed, datum.Status);
        Assert.Equal("Worker died unexpectedly.", datum.ResultAt(1)!.Error);
        Assert.Equal(loss, datum.ResultAt(1)!.Loss);
        Assert.False(datum.ResultAt(1)!.IsSuccess);
    }

    [Fact]
    public void CrashedConfigurationsStayCrashedUntilTheIterationCompletes()
    {
        var (iteration, _) = Create(new BracketPlan([3, 1], [1, 3]));
        var runs = TakeAll(iteration);
        Report(iteration, runs, null, 1, 2);

        TakeAll(iteration);

        Assert.Equal(ConfigStatus.Crashed, iteration.Data[runs[0].Id].Status);
        Assert.Equal(ConfigStatus.Terminated, iteration.Data[runs[2].Id].Status);
    }

    [Fact]
    public void CrashesFreeSlotsThatAreRefilledAtTheNextBudget()
    {
        var (iteration, sampler) = Create(NineThreeOne, iteration: 2);
        var runs = TakeAll(iteration);
        Report(iteration, runs, null, 4, null, double.NaN, null, null, 3, null, null);

        var stage1 = TakeAll(iteration);

        // Two survivors are promoted (in insertion order); the third slot gets a fresh configuration sampled at
        // budget 3, whose id carries the stage (1) and the count of stage-1 configurations so far (2).
        Assert.Equal([new ConfigId(2, 0, 1), new ConfigId(2, 0, 6), new ConfigId(2, 1, 2)], stage1.Select(r => r.Id));
        Assert.Equal([false, false, true], stage1.Select(r => r.IsNewConfiguration));
        Assert.All(stage1, r => Assert.Equal(3.0, r.Budget));
        Assert.Equal(3.0, sampler.Budgets[^1]);
        Assert.Equal(10, sampler.Budgets.Count);
        Assert.Equal([9, 3, 0], iteration.ActualNumConfigs);
        Assert.Equal(ConfigStatus.Running, iteration.Data[new ConfigId(2, 1, 2)].Status);
    }

    [Fact]
    public void AllCrashedStageIsRefilledEntirelyWithFreshConfigurations()
    {
        var (iteration, _) = Create(NineThreeOne);
        Report(iteration, TakeAll(iteration), null, null, null, null, null, null, null, null, null);

        var stage1 = TakeAll(iteration);

        Assert.Equal([new ConfigId(0, 1, 0), new ConfigId(0, 1, 1), new ConfigId(0, 1, 2)], stage1.Select(r => r.Id));
        Assert.All(stage1, r => Assert.True(r.IsNewConfiguration));

        Report(iteration, stage1, null, null, null);
        var stage2 = TakeAll(iteration);
        Assert.Equal([new ConfigId(0, 2, 0)], stage2.Select(r => r.Id));
        Assert.Equal(9.0, stage2[0].Budget);
    }

    [Fact]
    public void CrashInTheLastStageStillFinishes()
    {
        var (iteration, _) = Create(new BracketPlan([2, 1], [1, 3]));
        Report(iteration, TakeAll(iteration), 1, 2);
        Report(iteration, TakeAll(iteration), [null]);

        Assert.Null(iteration.NextRun());
        Assert.True(iteration.IsFinished);
        Assert.All(iteration.Data.Values, d => Assert.Equal(ConfigStatus.Completed, d.Status));
    }

    [Fact]
    public void TiesGoToTheConfigurationAddedFirst()
    {
        var (iteration, _) = Create(new BracketPlan([5, 2], [1, 3]));
        var runs = TakeAll(iteration);
        Report(iteration, runs, 2, 1, 1, 1, 0.5);

        var promoted = TakeAll(iteration);

        Assert.Equal([new ConfigId(0, 0, 1), new ConfigId(0, 0, 4)], promoted.Select(r => r.Id));
        Assert.Equal(ConfigStatus.Terminated, iteration.Data[new ConfigId(0, 0, 2)].Status);
    }

    [Fact]
    public void NegativeAndPositiveZeroTie()
    {
        var (iteration, _) = Create(new BracketPlan([2, 1], [1, 3]));
        Report(iteration, TakeAll(iteration), 0.0, -0.0);

        Assert.Equal(new ConfigId(0, 0, 0), TakeAll(iteration).Single().Id);
    }

    [Fact]
    public void SingleStagePlanFinishesAfterItsResults()
    {
        var (iteration, _) = Create(new BracketPlan([4], [27]));
        var runs = TakeAll(iteration);
        Assert.Equal(4, runs.Count);
        Report(iteration, runs, 4, 3, 2, 1);

        Assert.Null(iteration.NextRun());
        Assert.True(iteration.IsFinished);
    }

    [Fact]
    public void ResultForAnUnknownIdIsRejected()
    {
        var (iteration, _) = Create(new BracketPlan([2, 1], [1, 3]), iteration: 3);
        TakeAll(iteration);

        var ex = Assert.Throws<ArgumentException>(() => iteration.RegisterResult(new ConfigId(3, 0, 5), 1, 0.1, null));
        Assert.Contains("[3, 0, 5] is not part of iteration 3", ex.Message);
        Assert.Throws<ArgumentException>(() => iteration.RegisterResult(new ConfigId(4, 0, 0), 1, 0.1, null));
    }

    [Fact]
    public void ResultAtTheWrongBudgetIsRejected()
    {
        var (iteration, _) = Create(new BracketPlan([2, 1], [1, 3]));
        var runs = TakeAll(iteration);

        var ex = Assert.Throws<ArgumentException>(() => iteration.RegisterResult(runs[0].Id, 3, 0.1, null));
        Assert.Contains("scheduled at budget 1, but the result is for budget 3", ex.Message);
        Assert.Equal(ConfigStatus.Running, iteration.Data[runs[0].Id].Status);
        Assert.Equal(2, iteration.NumRunning);
    }

    [Fact]
    public void SecondResultForTheSameRunIsRejected()
    {
        var (iteration, _) = Create(new BracketPlan([2, 1], [1, 3]));
        var runs = TakeAll(iteration);
        iteration.RegisterResult(runs[0].Id, 1, 0.1, null);

        var ex = Assert.Throws<InvalidOperationException>(() => iteration.RegisterResult(runs[0].Id, 1, 0.2, null));
        Assert.Contains("is Review, not Running", ex.Message);
        Assert.Equal(1, iteration.NumRunning);
        Assert.Equal(0.1, iteration.Data[runs[0].Id].ResultAt(1)!.Loss);
    }

    [Fact]
    public void ResultForAQueuedConfigurationIsRejected()
    {
        var (iteration, _) = Create(new BracketPlan([3, 2], [1, 3]));
        var runs = TakeAll(iteration);
        Report(iteration, runs, 1, 2, 3);
        var first = iteration.NextRun()!.Value; // k = 0 runs; k = 1 is queued at budget 3

        var ex = Assert.Throws<InvalidOperationException>(() => iteration.RegisterResult(new ConfigId(0, 0, 1), 3, 0.1, null));
        Assert.Contains("is Queued, not Running", ex.Message);
        Assert.Equal(new ConfigId(0, 0, 0), first.Id);
    }

    [Fact]
    public void ResultAfterTheIterationFinishedIsRejected()
    {
        var (iteration, _) = Create(new BracketPlan([1], [1]));
        var run = iteration.NextRun()!.Value;
        iteration.RegisterResult(run.Id, run.Budget, 1, null);
        Assert.Null(iteration.NextRun());

        var ex = Assert.Throws<InvalidOperationException>(() => iteration.RegisterResult(run.Id, run.Budget, 1, null));
        Assert.Contains("finished", ex.Message);
    }

    [Fact]
    public void NullFromTheSamplerIsAnError()
    {
        var iteration = new SuccessiveHalvingIteration(0, new BracketPlan([1], [1]), _ => null!);

        var ex = Assert.Throws<InvalidOperationException>(() => iteration.NextRun());
        Assert.Contains("sampler returned null", ex.Message);
    }

    [Fact]
    public void FailingSamplerLeavesTheIterationUnchanged()
    {
        var calls = 0;
        var iteration = new SuccessiveHalvingIteration(0, new BracketPlan([2], [1]), budget =>
        {
            if (++calls == 2)
            {
                throw new InvalidOperationException("model fit failed");
            }

            return new SampledConfiguration(Configuration.Empty, []);
        });

        Assert.Equal(new ConfigId(0, 0, 0), iteration.NextRun()!.Value.Id);
        Assert.Throws<InvalidOperationException>(() => iteration.NextRun());
        Assert.Equal(1, iteration.NumRunning);
        Assert.Equal(new ConfigId(0, 0, 1), iteration.NextRun()!.Value.Id);
    }

    [Fact]
    public void DataKeepsInsertionOrder()
    {
        var (iteration, _) = Create(NineThreeOne);
        Report(iteration, TakeAll(iteration), null, 4, null, null, null, null, 3, null, null);
        TakeAll(iteration);

        Assert.Equal(
            Enumerable.Range(0, 9).Select(k => new ConfigId(0, 0, k)).Append(new ConfigId(0, 1, 2)),
            iteration.Data.Keys);
        Assert.Equal(iteration.Data.Keys, iteration.Data.Values.Select(d => d.Id));
    }
}
