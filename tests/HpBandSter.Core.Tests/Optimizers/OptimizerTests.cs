using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Sampling;

namespace HpBandSter.Tests.Optimizers;

public sealed class OptimizerTests
{
    private static Optimizer Create(OptimizerKind kind, BenchmarkObjective objective, int iterations, long seed, BohbSettings? model = null) =>
        new(new OptimizerSettings(kind, objective.MinBudget, objective.MaxBudget, iterations, Model: model), objective.Space, seed);

    [Theory]
    [InlineData(OptimizerKind.Bohb)]
    [InlineData(OptimizerKind.HyperBand)]
    public void ToyRunHasHpBandSterCounts(OptimizerKind kind)
    {
        // HpBandSter's quick start: min 9, max 243, eta 3, 4 iterations: brackets [27,9,3,1], [9,3,1], [6,2], [4].
        var objective = new ToyObjective();
        var optimizer = Create(kind, objective, 4, seed: 1);
        var events = OptimizerDriver.Run(optimizer, objective);

        var tells = events.Where(e => !e.IsAsk).ToList();
        Assert.Equal(65, tells.Count);
        Assert.Equal(46, tells.Select(e => e.Key.Id).Distinct().Count());
        Assert.Equal(15.0, tells.Sum(e => e.Key.Budget) / 243.0, 12);
        Assert.True(optimizer.IsFinished);
        Assert.Equal(AskStatus.Finished, optimizer.Ask().Status);
    }

    [Fact]
    public void SameSeedAndSameTellsGiveIdenticalAsks()
    {
        var objective = new Hartmann6Objective();
        var a = OptimizerDriver.Run(Create(OptimizerKind.Bohb, objective, 6, seed: 5), objective, slots: 3, orderSeed: 9);
        var b = OptimizerDriver.Run(Create(OptimizerKind.Bohb, objective, 6, seed: 5), objective, slots: 3, orderSeed: 9);
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Key, b[i].Key);
            Assert.Equal(a[i].Outcome?.Loss, b[i].Outcome?.Loss);
        }
    }

    [Fact]
    public void DifferentSeedsGiveDifferentConfigurations()
    {
        var objective = new ToyObjective();
        var first = Create(OptimizerKind.HyperBand, objective, 1, seed: 1).Ask().Job!;
        var second = Create(OptimizerKind.HyperBand, objective, 1, seed: 2).Ask().Job!;
        Assert.NotEqual(first.Config, second.Config);
    }

    [Fact]
    public void ReplayingRecordedAsksAndTellsRebuildsTheOptimizer()
    {
        var objective = new CountingOnesObjective();
        var original = Create(OptimizerKind.Bohb, objective, 5, seed: 21);
        var prefix = OptimizerDriver.Run(original, objective, slots: 4, orderSeed: 3, stopAfterEvents: 300);

        // A second optimizer rebuilt from the record is in the same state: same random position, same future.
        var rebuilt = Create(OptimizerKind.Bohb, objective, 5, seed: 21);
        OptimizerDriver.Replay(rebuilt, prefix);
        Assert.Equal(original.RandomState, rebuilt.RandomState);
        Assert.Equal(original.PendingJobs.OrderBy(k => k.Id).ThenBy(k => k.Budget), rebuilt.PendingJobs.OrderBy(k => k.Id).ThenBy(k => k.Budget));

        for (var i = 0; i < 50; i++)
        {
            var x = original.Ask();
            var y = rebuilt.Ask();
            Assert.Equal(x.Status, y.Status);
            if (x.Job is null)
            {
                break;
            }

            Assert.Equal(x.Job.Key, y.Job!.Key);
            Assert.Equal(x.Job.Config, y.Job.Config);
            var outcome = OptimizerDriver.Evaluate(objective, 21, x.Job);
            original.Tell(x.Job.Key, outcome);
            rebuilt.Tell(y.Job.Key, outcome);
        }
    }

    [Fact]
    public void ReplayOfAForeignRecordIsRefused()
    {
        var objective = new ToyObjective();
        var record = OptimizerDriver.Run(Create(OptimizerKind.HyperBand, objective, 2, seed: 1), objective, stopAfterEvents: 10);
        var other = new Optimizer(new OptimizerSettings(OptimizerKind.HyperBand, 1, 243, 2), objective.Space, 1);
        var error = Assert.Throws<InvalidOperationException>(() => OptimizerDriver.Replay(other, record));
        Assert.Contains("Replay diverged", error.Message);
    }

    [Fact]
    public void BracketsOverlapWhenSlotsOutnumberAStage()
    {
        // With min 9 / max 243 the first stage has 27 configs; with 30 outstanding jobs the optimizer must open
        // iteration 1 while iteration 0 still waits for results (HpBandSter's parallel scheme).
        var objective = new ToyObjective();
        var optimizer = Create(OptimizerKind.HyperBand, objective, 4, seed: 1);
        var asked = new List<Job>();
        for (var i = 0; i < 30; i++)
        {
            var answer = optimizer.Ask();
            Assert.Equal(AskStatus.Job, answer.Status);
            asked.Add(answer.Job!);
        }

        Assert.Equal(27, asked.Count(j => j.Id.Iteration == 0));
        Assert.Equal(3, asked.Count(j => j.Id.Iteration == 1));
        Assert.All(asked.Where(j => j.Id.Iteration == 1), j => Assert.Equal(27.0, j.Budget, 12));
    }

    [Fact]
    public void WaitIsAnsweredWhileAStageHasStragglers()
    {
        var objective = new ToyObjective();
        var optimizer = Create(OptimizerKind.HyperBand, objective, 1, seed: 1);
        var jobs = new List<Job>();
        while (optimizer.Ask() is { Status: AskStatus.Job } answer)
        {
            jobs.Add(answer.Job!);
        }

        Assert.Equal(27, jobs.Count);
        Assert.Equal(AskStatus.WaitForResults, optimizer.Ask().Status);
        foreach (var job in jobs.Skip(1))
        {
            optimizer.Tell(job.Key, OptimizerDriver.Evaluate(objective, 1, job));
            Assert.Equal(AskStatus.WaitForResults, optimizer.Ask().Status);
        }

        optimizer.Tell(jobs[0].Key, OptimizerDriver.Evaluate(objective, 1, jobs[0]));
        var next = optimizer.Ask();
        Assert.Equal(AskStatus.Job, next.Status);
        Assert.Equal(27.0, next.Job!.Budget, 12);
        Assert.False(next.Job.IsNewConfig); // a promoted configuration, not a new one
    }

    [Fact]
    public void CrashedResultsAreRefilledAtTheLaterStage()
    {
        // Every evaluation on the smallest budget crashes: no config reaches REVIEW, so stage 1 is refilled with
        // configurations sampled directly at budget 27, whose ids carry stage 1 (HpBandSter's refill rule).
        var objective = new ToyObjective();
        var optimizer = Create(OptimizerKind.HyperBand, objective, 1, seed: 4);
        var events = OptimizerDriver.Run(optimizer, objective, evaluate: job => job.Budget < 10
            ? JobOutcome.Failure("Traceback: boom")
            : OptimizerDriver.Evaluate(objective, 4, job));
        var asked = events.Where(e => e.IsAsk).Select(e => e.Key).ToList();
        Assert.Equal(27, asked.Count(k => k.Budget == 9));
        Assert.Equal(9, asked.Count(k => Math.Abs(k.Budget - 27) < 1e-9 && k.Id.Stage == 1));
        Assert.True(optimizer.IsFinished);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NonFiniteLossesCountAsCrashed(double loss)
    {
        Assert.True(JobOutcome.Success(loss).IsCrashed);
        Assert.False(JobOutcome.Success(0.5).IsCrashed);
        Assert.True(new Observation(HpBandSter.Spaces.Configuration.Empty, 1, loss).IsCrashed);
        Assert.Equal(double.PositiveInfinity, new Observation(HpBandSter.Spaces.Configuration.Empty, 1, loss).ModelLoss);
    }

    [Fact]
    public void TellingAnUnknownOrRepeatedJobIsRefused()
    {
        var objective = new ToyObjective();
        var optimizer = Create(OptimizerKind.HyperBand, objective, 1, seed: 1);
        var job = optimizer.Ask().Job!;
        Assert.Throws<InvalidOperationException>(() => optimizer.Tell(new JobKey(new ConfigId(5, 0, 0), 9), JobOutcome.Success(1)));
        optimizer.Tell(job.Key, JobOutcome.Success(0.1));
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Tell(job.Key, JobOutcome.Success(0.1)));
        Assert.Contains("already told", error.Message);
    }

    [Fact]
    public void BohbMakesModelBasedPicksOnceABudgetHasTwiceDPlusOnePoints()
    {
        var objective = new BraninObjective(); // d = 2: the first model needs 2(d+1) = 6 observations on a budget
        var optimizer = Create(OptimizerKind.Bohb, objective, 4, seed: 3);
        var jobs = new List<Job>();
        OptimizerDriver.Run(optimizer, objective, evaluate: job =>
        {
            jobs.Add(job);
            return OptimizerDriver.Evaluate(objective, 3, job);
        });

        var newConfigs = jobs.Where(j => j.IsNewConfig).ToList();
        Assert.All(newConfigs.Take(6), j => Assert.False((bool)j.ConfigInfo["model_based_pick"]!));
        var modelBased = newConfigs.Count(j => (bool)j.ConfigInfo["model_based_pick"]!);
        // After the first model, about 2/3 of new configurations are model-based (random_fraction 1/3).
        var afterModel = newConfigs.Count - 27; // iteration 0's 27 first-stage configs: the model appears during them
        Assert.InRange(modelBased, afterModel / 3, newConfigs.Count);
    }

    [Fact]
    public void WarmStartGivesAModelFromTheFirstAsk()
    {
        var objective = new BraninObjective();
        var first = Create(OptimizerKind.Bohb, objective, 2, seed: 8);
        var observations = new List<Observation>();
        OptimizerDriver.Run(first, objective, evaluate: job =>
        {
            var outcome = OptimizerDriver.Evaluate(objective, 8, job);
            observations.Add(new Observation(job.Config, job.Budget, outcome.Loss));
            return outcome;
        });

        observations.Add(new Observation(observations[0].Config, 9, null)); // a crashed run is accepted too (HpBandSter #32)
        var settings = new OptimizerSettings(OptimizerKind.Bohb, objective.MinBudget, objective.MaxBudget, 1, Model: new BohbSettings(RandomFraction: 0));
        var warm = new Optimizer(settings, objective.Space, 9, observations);
        var job = warm.Ask().Job!;
        Assert.True((bool)job.ConfigInfo["model_based_pick"]!);
        Assert.NotEmpty(((BohbGenerator)warm.Generator).ModelBudgets);
        Assert.Equal(0, job.Id.Iteration); // warm-start data does not shift iteration numbers
    }

    [Fact]
    public void RandomSearchEvaluatesEverythingOnTheMaxBudget()
    {
        var objective = new ToyObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.RandomSearch, 1, 27, 3), objective.Space, 2);
        var events = OptimizerDriver.Run(optimizer, objective);
        var asked = events.Where(e => e.IsAsk).ToList();
        Assert.Equal(12, asked.Count); // 4 per iteration for min 1 / max 27 (HpBandSter issue #23)
        Assert.All(asked, e => Assert.Equal(27.0, e.Key.Budget));
    }

    [Fact]
    public void H2boRunsToCompletion()
    {
        var objective = new BraninObjective();
        var optimizer = Create(OptimizerKind.H2bo, objective, 6, seed: 2);
        var events = OptimizerDriver.Run(optimizer, objective, slots: 2, orderSeed: 1);
        Assert.True(optimizer.IsFinished);
        Assert.NotEmpty(events);
        // Each H2BO bracket stays within HpBandSter's budget per iteration (Σ budget × eta^i over the budgets).
        foreach (var iteration in events.Where(e => !e.IsAsk).GroupBy(e => e.Key.Id.Iteration))
        {
            Assert.True(iteration.Sum(e => e.Key.Budget) <= (9 * 27) + (27 * 9) + (81 * 3) + 243 + 1e-9);
        }
    }

    [Fact]
    public void ExtendingAFinishedRunNumbersNewIterationsAfterTheOldOnes()
    {
        var objective = new ToyObjective();
        var optimizer = Create(OptimizerKind.HyperBand, objective, 1, seed: 1);
        OptimizerDriver.Run(optimizer, objective);
        optimizer.ExtendIterations(1);
        var job = optimizer.Ask().Job!;
        Assert.Equal(1, job.Id.Iteration);
        Assert.Equal(27.0, job.Budget, 12); // iteration 1 is the second bracket of the cycle
    }

    [Theory]
    [InlineData(1.5, 9, 243, "eta")]
    [InlineData(3, 0, 243, "min")]
    [InlineData(3, 300, 243, "min")]
    public void InvalidSettingsNameTheSetting(double eta, double min, double max, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new OptimizerSettings(OptimizerKind.Bohb, min, max, 4, eta).Validate());
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0.5, "top_n_percent")]
    [InlineData(100, "top_n_percent")]
    public void InvalidModelSettingsNameTheSetting(double topN, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new BohbSettings(TopNPercent: topN).Validate());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ZeroIterationsIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new OptimizerSettings(OptimizerKind.Bohb, 1, 9, 0).Validate());
        Assert.Contains("iterations", error.Message);
    }
}
