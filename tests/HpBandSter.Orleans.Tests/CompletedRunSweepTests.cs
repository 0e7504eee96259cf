using HpBandSter.Optimizers;
using HpBandSter.Orleans.Hosting;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HpBandSter.Orleans.Tests;

/// <summary>
/// A silo that was down when a run completed applies the run's job-directory retention when it starts again: the
/// sweep finds the run's directory, reads the run from the store, and hands its incumbent to the objective.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CompletedRunSweepTests(ClusterFixture fixture) : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "hpbandster-sweep-tests", Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task Only_completed_runs_are_handed_to_their_objective_with_their_incumbent()
    {
        var spec = new RunSpec { Objective = "toy", Optimizer = "hyperband", MinBudget = 9, MaxBudget = 243, Iterations = 1, Seed = 8 };
        var completed = await fixture.RunToEndAsync("sweep/completed", spec);
        Assert.Equal(RunState.Completed, completed.State);
        var incumbent = (await fixture.Client.GetResultAsync("sweep/completed")).GetIncumbentRun()!;

        Assert.True((await fixture.Client.StartRunAsync("sweep-cancelled", spec with { MinSlots = 1000 })).Accepted);
        Assert.Equal(RunState.Cancelled, (await fixture.Client.CancelAsync("sweep-cancelled")).State);

        var completedDirectory = MakeRunDirectory("sweep_completed", "sweep/completed");
        MakeRunDirectory("sweep-cancelled", "sweep-cancelled");
        MakeRunDirectory("sweep-unknown", "no-such-run");
        Directory.CreateDirectory(Path.Combine(_data, "jobs", "no-job-file", "0_0_0_b9_a1"));
        var observer = new RecordingObjective();

        var handed = await Sweep(observer, "toy").SweepAsync(CancellationToken.None);

        Assert.Equal(1, handed);
        var call = Assert.Single(observer.Calls);
        Assert.Equal("sweep/completed", call.RunId);
        Assert.Equal(completedDirectory, call.Directory);
        Assert.Equal(new JobKey(incumbent.ConfigId, incumbent.Budget), call.Incumbent);

        // Tidied once: a silo started again does not read the run's journal again.
        Assert.Equal(0, await Sweep(observer, "toy").SweepAsync(CancellationToken.None));
        Assert.Single(observer.Calls);
    }

    [Fact]
    public async Task A_run_whose_objective_is_not_here_or_keeps_everything_is_left_alone()
    {
        var spec = new RunSpec { Objective = "branin", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 2, Seed = 8 };
        Assert.Equal(RunState.Completed, (await fixture.RunToEndAsync("sweep-plain", spec)).State);
        MakeRunDirectory("sweep-plain", "sweep-plain");
        var keepsAll = new RecordingObjective { TidiesRunDirectories = false };

        Assert.Equal(0, await Sweep(new RecordingObjective(), "toy").SweepAsync(CancellationToken.None));
        Assert.Equal(0, await Sweep(keepsAll, "branin").SweepAsync(CancellationToken.None));
        Assert.Empty(keepsAll.Calls);
    }

    private CompletedRunSweep Sweep(IObjective objective, string name)
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var registry = new ObjectiveRegistry([new ObjectiveRegistration(name, _ => objective)], services);
        return new CompletedRunSweep(ClusterFixture.Store, registry, Options.Create(new HpBandSterOptions { DataDirectory = _data }), NullLogger<CompletedRunSweep>.Instance);
    }

    /// <summary>A run's directory as a command objective leaves it: one job directory whose job.json names the run.</summary>
    private string MakeRunDirectory(string name, string runId)
    {
        var job = Path.Combine(_data, "jobs", name, "0_0_0_b9_a1");
        Directory.CreateDirectory(job);
        File.WriteAllText(Path.Combine(job, CommandObjective.JobFileName), $$"""{"config": {}, "budget": 9.0, "run_id": "{{runId}}"}""");
        return Path.Combine(_data, "jobs", name);
    }

    private sealed class RecordingObjective : IObjective, IRunEndObserver
    {
        public List<(string RunId, string Directory, JobKey? Incumbent)> Calls { get; } = [];

        public bool TidiesRunDirectories { get; init; } = true;

        public ValueTask<ObjectiveResult> EvaluateAsync(Spaces.Configuration configuration, double budget, ObjectiveContext context) =>
            throw new InvalidOperationException("not evaluated in these tests");

        public void OnRunCompleted(string runId, string runDirectory, JobKey? incumbent, ILogger logger) => Calls.Add((runId, runDirectory, incumbent));
    }
}
