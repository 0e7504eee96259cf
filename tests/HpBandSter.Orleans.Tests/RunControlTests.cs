using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Orleans.Tests;

/// <summary>Starting with bad input, cancelling, and several runs at once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RunControlTests(ClusterFixture fixture)
{
    private static RunSpec Toy => new() { Objective = "toy", Optimizer = "hyperband", MinBudget = 9, MaxBudget = 243, Iterations = 2, Seed = 1 };

    [Fact]
    public async Task An_unknown_objective_is_refused_with_the_list_of_what_the_cluster_offers()
    {
        var result = await fixture.Client.StartRunAsync("unknown-objective", Toy with { Objective = "resnet" });

        Assert.False(result.Accepted);
        Assert.Contains("'resnet'", result.Error, StringComparison.Ordinal);
        foreach (var name in new[] { "toy", "branin", "hartmann6", "countingones", "throws" })
        {
            Assert.Contains(name, result.Error, StringComparison.Ordinal);
        }

        Assert.Equal(RunState.Unknown, (await fixture.Client.GetStatusAsync("unknown-objective")).State);
    }

    public static TheoryData<RunSpec, string> InvalidSpecs() => new()
    {
        { Toy with { MinBudget = 0 }, "MinBudget" },
        { Toy with { MaxBudget = double.NaN }, "MaxBudget" },
        { Toy with { MaxBudget = 3 }, "MinBudget" },
        { Toy with { Eta = 1 }, "Eta" },
        { Toy with { Iterations = 0 }, "Iterations" },
        { Toy with { Optimizer = "tpe" }, "Optimizer" },
        { Toy with { RetryLimit = -1 }, "RetryLimit" },
        { Toy with { JobTimeout = TimeSpan.Zero }, "JobTimeout" },
        { Toy with { SleepSeconds = double.NaN }, "SleepSeconds" },
        { Toy with { JobQueueMin = 2, JobQueueMax = 1 }, "JobQueueMax" },
        { Toy with { SearchSpace = "{ not json" }, "SearchSpace" },
        { Toy with { Model = new ModelSpec { TopNPercent = 0 } }, "Model.TopNPercent" },
        { Toy with { MinSlots = 0 }, "MinSlots" },
        { Toy with { MinSlotsTimeout = TimeSpan.FromSeconds(-1) }, "MinSlotsTimeout" },
    };

    [Fact]
    public async Task A_run_waits_for_its_min_slots_without_asking_anything_then_is_cancelled_at_its_timeout()
    {
        var start = await fixture.Client.StartRunAsync("min-slots", Toy with { MinSlots = 1000, MinSlotsTimeout = TimeSpan.FromSeconds(3) });
        Assert.True(start.Accepted, start.Error);

        var waiting = await fixture.Client.GetStatusAsync("min-slots");
        Assert.Equal(RunState.Running, waiting.State);
        Assert.Equal(0, waiting.Queued + waiting.Running + waiting.Finished);
        Assert.Contains("Waiting for 1000 slots offering 'toy'", waiting.Note, StringComparison.Ordinal);
        Assert.Contains($"{waiting.SlotsAvailable} available", waiting.Note, StringComparison.Ordinal);

        var ended = await fixture.WaitAsync("min-slots");
        Assert.Equal(RunState.Cancelled, ended.State);
        Assert.Equal(0, ended.Finished);
        Assert.StartsWith("Cancelled: waited 3 s for 1000 slots", ended.Note, StringComparison.Ordinal);
        Assert.Contains("resume", ended.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_whose_min_slots_are_there_starts_at_once_and_equals_the_core_optimizer()
    {
        var spec = Toy with { MinSlots = 2, MinSlotsTimeout = TimeSpan.FromSeconds(30), Seed = 31, DynamicQueueSize = false, JobQueueMin = 0, JobQueueMax = 1 };

        var status = await fixture.RunToEndAsync("min-slots-met", spec);

        Assert.True(status.SlotsAvailable >= 2, $"The test cluster offers {status.SlotsAvailable} slots for toy.");
        Assert.Equal(RunState.Completed, status.State);
        Assert.Null(status.Note);
        RunAssert.SameRecord(RunAssert.CoreRun(spec), await fixture.Client.GetResultAsync("min-slots-met"));
    }

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task An_invalid_specification_is_refused_by_the_run_grain_naming_the_field(RunSpec spec, string field)
    {
        // Straight to the grain: the client-side check must not be the only one.
        var result = await fixture.Cluster.GrainFactory.GetGrain<IRunGrain>($"invalid-{field}").StartAsync(spec);

        Assert.False(result.Accepted);
        Assert.StartsWith(field + ":", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_start_under_the_same_id_is_refused_and_the_first_run_is_untouched()
    {
        var first = await fixture.Client.StartRunAsync("twice", Toy);
        var second = await fixture.Client.StartRunAsync("twice", Toy with { Objective = "branin" });

        Assert.True(first.Accepted, first.Error);
        Assert.False(second.Accepted);
        Assert.Contains("already exists", second.Error, StringComparison.Ordinal);
        var status = await fixture.WaitAsync("twice");
        Assert.Equal("toy", status.Spec!.Objective);
        Assert.Equal(RunState.Completed, status.State);
    }

    [Fact]
    public async Task Cancelling_a_run_stops_its_running_evaluations_and_keeps_it_as_cancelled()
    {
        var spec = new RunSpec { Objective = "forever", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 5, Seed = 2 };
        Assert.True((await fixture.Client.StartRunAsync("cancel-me", spec)).Accepted);
        await fixture.WaitUntilAsync("cancel-me", s => s.Running == s.SlotsAvailable && s.Running > 0, "both slots busy");

        var cancelled = await fixture.Client.CancelAsync("cancel-me");

        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Equal(0, cancelled.Running);
        Assert.Equal(0, cancelled.Finished);

        // The cancelled evaluations give their slots back: a new run gets both and completes.
        var after = await fixture.RunToEndAsync("after-cancel", Toy);
        Assert.Equal(RunState.Completed, after.State);
        Assert.Equal(RunState.Cancelled, (await fixture.Client.GetStatusAsync("cancel-me")).State);
    }

    [Fact]
    public async Task Concurrent_one_job_runs_share_the_slots_and_each_equals_the_core_optimizer()
    {
        var specs = BenchmarkObjectives.All.Select((problem, i) => new RunSpec
        {
            Objective = problem.Name,
            Optimizer = i % 2 == 0 ? "bohb" : "hyperband",
            MinBudget = problem.MinBudget,
            MaxBudget = problem.MaxBudget,
            Iterations = 3,
            Seed = 100 + i,
            DynamicQueueSize = false,
            JobQueueMin = 0,
            JobQueueMax = 1,
        }).ToList();

        var started = await Task.WhenAll(specs.Select((spec, i) => fixture.Client.StartRunAsync($"concurrent-{i}", spec)));
        Assert.All(started, s => Assert.True(s.Accepted, s.Error));
        var statuses = await Task.WhenAll(specs.Select((_, i) => fixture.WaitAsync($"concurrent-{i}")));

        for (var i = 0; i < specs.Count; i++)
        {
            Assert.Equal(RunState.Completed, statuses[i].State);
            Assert.Equal(statuses[i].EvaluationsPlanned, statuses[i].Finished);
            RunAssert.SameRecord(RunAssert.CoreRun(specs[i]), await fixture.Client.GetResultAsync($"concurrent-{i}"));
        }
    }
}
