using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace HpBandSter.Orleans.Tests;

/// <summary>
/// A run grain rebuilt from its journal while its jobs still run on a surviving worker (its host died, or it was
/// deactivated): the rebuilt run queues them again, with the same attempt numbers (attempts are not journaled).
/// </summary>
/// <remarks>
/// Its own run store: with the store shared by every in-process cluster, the other test clusters' silos brought the
/// deactivated run back on their own workers, which started both jobs again with the same attempts (this test then
/// failed about one time in ten).
/// </remarks>
[Collection("failover")]
public sealed class RebuiltRunTests : IAsyncLifetime
{
    private static readonly InMemoryRunStore s_store = new();
    private TestCluster _cluster = null!;

    private HpBandSterClient Client => _cluster.Client.ServiceProvider.GetRequiredService<HpBandSterClient>();

    public async Task InitializeAsync()
    {
        TestObjectives.JobGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        TestObjectives.JobGate.TrySetResult();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_job_still_running_on_a_silo_is_not_started_there_again_when_its_run_is_rebuilt()
    {
        // Three slots, two jobs outstanding at most: after the rebuild the silo has a free slot for them.
        var spec = new RunSpec
        {
            Objective = "gated-jobs", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 4, Seed = 5,
            DynamicQueueSize = false, JobQueueMin = 1, JobQueueMax = 2,
        };
        var started = await Client.StartRunAsync("rebuilt", spec);
        Assert.True(started.Accepted, started.Error);
        await WaitUntilAsync(s => s.Running == 2, "two jobs running");

        await _cluster.Client.GetGrain<IRunGrain>("rebuilt").Cast<IGrainManagementExtension>().DeactivateOnIdle();

        // The next call activates it again, rebuilt from its journal, with both jobs queued again; the silo, still
        // running both attempts, skips the tickets and the rebuilt run counts them as running.
        var status = await WaitUntilAsync(s => s.Queued == 0 && s.Running == 2 && s.Redispatched == 0, "the rebuilt run to count both jobs as running");
        Assert.True(status.Running == 2 && status.Queued == 0, $"The rebuilt run did not take the jobs back as running: {Describe(status)}");
        Assert.Equal(2, TestObjectives.JobStarts.Count(s => s.StartsWith("rebuilt/", StringComparison.Ordinal)));

        TestObjectives.JobGate.TrySetResult();
        status = await WaitUntilAsync(s => s.IsEnded, "the run ended");
        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        var starts = TestObjectives.JobStarts.Where(s => s.StartsWith("rebuilt/", StringComparison.Ordinal)).ToList();
        Assert.True(starts.Count == starts.Distinct().Count(), $"A job was evaluated twice: {string.Join(", ", starts)}");
        Assert.Equal(status.EvaluationsPlanned, starts.Count);
    }

    private async Task<RunStatus> WaitUntilAsync(Func<RunStatus, bool> condition, string what)
    {
        var grain = _cluster.GrainFactory.GetGrain<IRunGrain>("rebuilt");
        using var deadline = new CancellationTokenSource(ClusterFixture.Deadline);
        var status = await grain.GetStatusAsync();
        while (!condition(status))
        {
            Assert.False(deadline.IsCancellationRequested, $"Timed out waiting for {what}: {Describe(status)}");
            status = await grain.WaitForChangeAsync(status.Finished, TimeSpan.FromMilliseconds(200));
        }

        return status;
    }

    private static string Describe(RunStatus s) =>
        $"state={s.State} finished={s.Finished}/{s.EvaluationsPlanned} queued={s.Queued} running={s.Running} redispatched={s.Redispatched}";

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseInMemoryRunStore(s_store);
            siloBuilder.AddHpBandSterWorker(o => o.Slots = 3);
            TestObjectives.Register(siloBuilder);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddHpBandSterClient();
    }
}
