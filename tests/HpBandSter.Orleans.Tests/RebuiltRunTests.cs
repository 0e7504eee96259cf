using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace HpBandSter.Orleans.Tests;

/// <summary>
/// A run grain rebuilt from its journal while its jobs still run on surviving workers (its host died, or it was
/// deactivated): the rebuilt run queues them again, asks the silos which of them they still run, and takes those
/// back instead of evaluating them a second time.
/// </summary>
/// <remarks>
/// A run store of its own per test: with the store shared by every in-process cluster, the other test clusters'
/// silos brought the deactivated run back on their own workers, which started its jobs again.
/// </remarks>
[Collection("failover")]
public sealed class RebuiltRunTests : IAsyncLifetime
{
    private static InMemoryRunStore s_store = new();
    private static int s_slots;
    private TestCluster? _cluster;

    private HpBandSterClient Client => _cluster!.Client.ServiceProvider.GetRequiredService<HpBandSterClient>();

    public Task InitializeAsync()
    {
        TestObjectives.JobGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        TestObjectives.JobGate.TrySetResult();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_job_still_running_on_a_silo_is_not_started_there_again_when_its_run_is_rebuilt()
    {
        // One silo, three slots, two jobs outstanding at most: after the rebuild the silo has a free slot for them.
        await DeployAsync(silos: 1, slots: 3);
        const string RunId = "rebuilt";
        await StartGatedAsync(RunId, jobs: 2);
        await WaitUntilAsync(RunId, s => s.Running == 2, "two jobs running");

        await RebuildAsync(RunId);

        var status = await WaitUntilAsync(RunId, s => s.Queued == 0 && s.Running == 2 && s.Redispatched == 0, "the rebuilt run to count both jobs as running");
        Assert.Equal(2, Starts(RunId).Count);
        await OpenGateAndCheckEveryJobRanOnceAsync(RunId);
    }

    [Fact]
    public async Task A_job_still_running_on_one_silo_is_not_started_on_another_when_its_run_is_rebuilt()
    {
        // Two silos of one slot and one job outstanding: after the rebuild the job is queued again, and the only free
        // slot is on the silo that does not run it. Unless the run takes the job back from its silo, it starts there.
        await DeployAsync(silos: 2, slots: 1);
        const string RunId = "rebuilt-elsewhere";
        await StartGatedAsync(RunId, jobs: 1);
        var before = await WaitUntilAsync(RunId, s => s.Running == 1, "the job running");
        var silo = Assert.Single(before.RunningBySilo).Key;

        await RebuildAsync(RunId);

        var after = await WaitUntilAsync(RunId, s => s.Queued == 0 && s.Running == 1, "the rebuilt run to count the job as running");
        Assert.Equal(silo, Assert.Single(after.RunningBySilo).Key);
        Assert.Equal(0, after.Redispatched);
        Assert.Single(Starts(RunId));
        await OpenGateAndCheckEveryJobRanOnceAsync(RunId);
    }

    private async Task DeployAsync(int silos, int slots)
    {
        s_store = new InMemoryRunStore();
        s_slots = slots;
        var builder = new TestClusterBuilder((short)silos);
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<HpBandSterClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    private async Task StartGatedAsync(string runId, int jobs)
    {
        var spec = new RunSpec
        {
            Objective = "gated-jobs", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 4, Seed = 5,
            DynamicQueueSize = false, JobQueueMin = jobs - 1, JobQueueMax = jobs,
        };
        var started = await Client.StartRunAsync(runId, spec);
        Assert.True(started.Accepted, started.Error);
    }

    /// <summary>Drops the run's activation; the next call activates it again, rebuilt from its journal.</summary>
    private Task RebuildAsync(string runId) =>
        _cluster!.Client.GetGrain<IRunGrain>(runId).Cast<IGrainManagementExtension>().DeactivateOnIdle().AsTask();

    private async Task OpenGateAndCheckEveryJobRanOnceAsync(string runId)
    {
        TestObjectives.JobGate.TrySetResult();
        var status = await WaitUntilAsync(runId, s => s.IsEnded, "the run ended");
        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        var starts = Starts(runId);
        Assert.True(starts.Count == starts.Distinct().Count(), $"A job was evaluated twice: {string.Join(", ", starts)}");
        Assert.Equal(status.EvaluationsPlanned, starts.Count);
    }

    private static List<string> Starts(string runId) =>
        [.. TestObjectives.JobStarts.Where(s => s.StartsWith(runId + "/", StringComparison.Ordinal))];

    private Task<RunStatus> WaitUntilAsync(string runId, Func<RunStatus, bool> condition, string what) =>
        RunWait.UntilAsync(_cluster!.GrainFactory, runId, condition, what);

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseInMemoryRunStore(s_store);
            siloBuilder.AddHpBandSterWorker(o => o.Slots = s_slots);
            TestObjectives.Register(siloBuilder);
        }
    }
}
