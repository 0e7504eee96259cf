using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Orleans.Core.Internal;

namespace HpBandSter.Orleans.Tests;

/// <summary>Runs rebuilt from their journal: after losing their activation, after cancel and resume, after an extension.</summary>
[Collection(ClusterCollection.Name)]
public sealed class JournalTests(ClusterFixture fixture)
{
    private static RunSpec OneAtATime(string objective, string optimizer, int iterations, long seed)
    {
        var problem = BenchmarkObjectives.Get(objective);
        return new RunSpec
        {
            Objective = objective,
            Optimizer = optimizer,
            MinBudget = problem.MinBudget,
            MaxBudget = problem.MaxBudget,
            Iterations = iterations,
            Seed = seed,
            DynamicQueueSize = false,
            JobQueueMin = 0,
            JobQueueMax = 1,
            SleepSeconds = 0.002,
        };
    }

    [Fact]
    public async Task A_run_that_loses_its_activation_three_times_rebuilds_from_its_journal_and_equals_the_core_optimizer()
    {
        var spec = OneAtATime("hartmann6", "bohb", 4, 11);
        Assert.True((await fixture.Client.StartRunAsync("journal-deactivated", spec)).Accepted);
        var grain = fixture.Cluster.GrainFactory.GetGrain<IRunGrain>("journal-deactivated");

        foreach (var after in new[] { 5, 30, 60 })
        {
            await fixture.WaitUntilAsync("journal-deactivated", s => s.Finished >= after, $"{after} results");
            await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        }

        var status = await fixture.WaitAsync("journal-deactivated");
        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        RunAssert.SameRecord(RunAssert.CoreRun(spec), await fixture.Client.GetResultAsync("journal-deactivated"));
    }

    [Fact]
    public async Task A_cancelled_run_resumes_and_ends_as_if_never_cancelled()
    {
        var spec = OneAtATime("branin", "hyperband", 3, 12);
        Assert.True((await fixture.Client.StartRunAsync("journal-cancelled", spec)).Accepted);
        await fixture.WaitUntilAsync("journal-cancelled", s => s.Finished >= 10, "10 results");
        var cancelled = await fixture.Client.CancelAsync("journal-cancelled");
        Assert.Equal(RunState.Cancelled, cancelled.State);

        var resumed = await fixture.Cluster.GrainFactory.GetGrain<IRunGrain>("journal-cancelled").ResumeAsync(0);
        Assert.Equal(RunState.Running, resumed.State);
        var status = await fixture.WaitAsync("journal-cancelled");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        RunAssert.SameRecord(RunAssert.CoreRun(spec), await fixture.Client.GetResultAsync("journal-cancelled"));
    }

    [Fact]
    public async Task A_finished_run_extended_by_two_iterations_equals_a_run_planned_with_them()
    {
        var spec = OneAtATime("toy", "bohb", 4, 13);
        await fixture.RunToEndAsync("journal-extended", spec);

        var extended = await fixture.Cluster.GrainFactory.GetGrain<IRunGrain>("journal-extended").ResumeAsync(2);
        Assert.Equal(6, extended.IterationsPlanned);
        var status = await fixture.WaitAsync("journal-extended");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        RunAssert.SameRecord(RunAssert.CoreRun(spec with { Iterations = 6 }), await fixture.Client.GetResultAsync("journal-extended"));
    }

    [Fact]
    public async Task A_run_read_from_the_store_without_a_cluster_equals_what_its_grain_serves()
    {
        var spec = OneAtATime("branin", "bohb", 3, 15);
        Assert.True((await fixture.Client.StartRunAsync("journal-read", spec)).Accepted);
        await fixture.WaitUntilAsync("journal-read", s => s.Finished >= 7, "7 results");
        var midway = (await ClusterFixture.Store.ReadRunAsync("journal-read"))!;
        Assert.Equal(RunState.Running, midway.State);
        Assert.InRange(midway.Result.RunCount, 7, midway.Summary.Planned - 1);

        var status = await fixture.WaitAsync("journal-read");
        var stored = (await ClusterFixture.Store.ReadRunAsync("journal-read"))!;

        Assert.Equal(RunState.Completed, stored.State);
        Assert.Equal(0, stored.Pending);
        Assert.Equal(status.Finished, stored.Result.RunCount);
        Assert.Equal(spec.Seed, stored.Spec.Seed);
        Assert.NotNull(stored.Spec.SearchSpace);
        var served = await fixture.Client.GetResultAsync("journal-read");
        RunAssert.SameRecord(served, stored.Result);
        Assert.Equal(served.Settings.TimeRef, stored.Result.Settings.TimeRef);
        Assert.Equal(served.GetAllRuns().Select(r => r.TimeStamps), stored.Result.GetAllRuns().Select(r => r.TimeStamps));
        Assert.Null(await ClusterFixture.Store.ReadRunAsync("journal-no-such-run"));
    }

    [Fact]
    public async Task A_run_rebuilt_from_a_snapshot_and_its_tail_equals_one_replayed_from_its_whole_journal()
    {
        var spec = OneAtATime("hartmann6", "bohb", 3, 16);
        Assert.True((await fixture.Client.StartRunAsync("journal-snapshot", spec)).Accepted);
        var grain = fixture.Cluster.GrainFactory.GetGrain<IRunGrain>("journal-snapshot");
        await fixture.WaitUntilAsync("journal-snapshot", s => s.Finished >= 40, "40 results");
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await fixture.WaitAsync("journal-snapshot");

        var stored = (await ClusterFixture.Store.ReadAsync("journal-snapshot"))!;
        Assert.NotNull(stored.Snapshot);
        Assert.True(stored.SnapshotSequence >= ClusterFixture.SnapshotInterval, $"snapshot at {stored.SnapshotSequence}");
        Assert.True(stored.Entries.Count < stored.LastSequence, $"{stored.Entries.Count} entries after the snapshot of {stored.LastSequence}");
        var fromSnapshot = RunHistory.Replay(stored, RunSnapshotFormat.Read("journal-snapshot", stored.Snapshot));
        var fromJournal = RunHistory.Replay((await ClusterFixture.Store.ReadAsync("journal-snapshot", useSnapshot: false))!);

        Assert.Equal(fromJournal.Sequence, fromSnapshot.Sequence);
        Assert.Equal(fromJournal.State, fromSnapshot.State);
        Assert.Equal(fromJournal.Configs, fromSnapshot.Configs, ConfigDataComparer.Instance);
        Assert.Equal(fromJournal.Runs, fromSnapshot.Runs);
        Assert.Equal(fromJournal.Incumbent?.Loss, fromSnapshot.Incumbent?.Loss);
        Assert.Equal(fromJournal.Crashed, fromSnapshot.Crashed);
        Assert.Equal(fromJournal.Optimizer.TakeSnapshot(), fromSnapshot.Optimizer.TakeSnapshot());
        RunAssert.SameRecord(RunAssert.CoreRun(spec), await fixture.Client.GetResultAsync("journal-snapshot"));
    }

    [Fact]
    public async Task A_corrupt_snapshot_is_passed_over_and_the_run_rebuilt_from_its_whole_journal()
    {
        var spec = OneAtATime("branin", "bohb", 2, 17);
        await fixture.RunToEndAsync("journal-bad-snapshot", spec);
        var stored = (await ClusterFixture.Store.ReadAsync("journal-bad-snapshot"))!;
        Assert.NotNull(stored.Snapshot);
        await ClusterFixture.Store.SaveSnapshotAsync("journal-bad-snapshot", stored.SnapshotSequence, "{\"format\": 1, \"cut short"u8.ToArray());

        var grain = fixture.Cluster.GrainFactory.GetGrain<IRunGrain>("journal-bad-snapshot");
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var status = await grain.GetStatusAsync();

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        RunAssert.SameRecord(RunAssert.CoreRun(spec), await fixture.Client.GetResultAsync("journal-bad-snapshot"));
        RunAssert.SameRecord(RunAssert.CoreRun(spec), (await ClusterFixture.Store.ReadRunAsync("journal-bad-snapshot"))!.Result);
    }

    /// <summary>Configurations compare by id, values and info (ConfigEntry arrays compare by reference).</summary>
    private sealed class ConfigDataComparer : IEqualityComparer<ConfigData>
    {
        public static ConfigDataComparer Instance { get; } = new();

        public bool Equals(ConfigData? x, ConfigData? y) =>
            x is not null && y is not null && (x.Iteration, x.Stage, x.Index, x.InfoJson) == (y.Iteration, y.Stage, y.Index, y.InfoJson) && x.Config.SequenceEqual(y.Config);

        public int GetHashCode(ConfigData obj) => HashCode.Combine(obj.Iteration, obj.Stage, obj.Index);
    }

    [Fact]
    public async Task A_corrupt_journal_entry_makes_the_run_fail_to_load_with_a_message_naming_it()
    {
        await fixture.RunToEndAsync("journal-corrupt", OneAtATime("toy", "hyperband", 1, 14));
        var stored = (await ClusterFixture.Store.ReadAsync("journal-corrupt"))!;
        await ClusterFixture.Store.AppendAsync("journal-corrupt", [new JournalEntry(stored.LastSequence + 1, "told", "{\"i\": 0, \"s\": 0}")], stored.Summary);

        var grain = fixture.Cluster.GrainFactory.GetGrain<IRunGrain>("journal-corrupt");
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => grain.GetStatusAsync());

        Assert.Contains("journal-corrupt", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"entry {stored.LastSequence + 1}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
    }
}
