using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace HpBandSter.Orleans.Tests;

/// <summary>
/// Silos that die or shut down while they evaluate jobs, on a cluster of three in-process silos of one slot each
/// (its own cluster per test: these tests kill silos). The multi-process tests do the same with real processes.
/// </summary>
[Collection("failover")]
public sealed class FailoverTests : IAsyncLifetime
{
    /// <summary>
    /// This test's run store, new for each test (the tests of this collection run one after another): neither the
    /// shared cluster's runs nor an earlier test's are brought back by these silos.
    /// </summary>
    private static InMemoryRunStore s_store = new();

    private TestCluster _cluster = null!;

    private HpBandSterClient Client => _cluster.Client.ServiceProvider.GetRequiredService<HpBandSterClient>();

    public async Task InitializeAsync()
    {
        TestObjectives.Gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        s_store = new InMemoryRunStore();
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<HpBandSterClientConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        TestObjectives.Gate.TrySetResult();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Jobs_of_a_killed_silo_are_dispatched_again_and_the_run_completes_with_every_evaluation_once()
    {
        var (victim, status) = await StartAndPickVictimAsync("killed", retryLimit: 3);

        await _cluster.KillSiloAsync(victim);
        status = await WaitUntilAsync("killed", s => s.Redispatched > 0 && !s.RunningBySilo.ContainsKey(victim.SiloAddress.ToParsableString()), "the victim's job dispatched again");
        TestObjectives.Gate.TrySetResult();
        status = await WaitUntilAsync("killed", s => s.IsEnded, "the run ended");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        Assert.Equal(0, status.Crashed);
        var result = await Client.GetResultAsync("killed");
        Assert.Equal(result.RunCount, result.GetAllRuns().Select(r => (r.ConfigId, r.Budget)).Distinct().Count());
    }

    [Fact]
    public async Task Past_the_retry_limit_a_job_of_a_dead_silo_is_recorded_as_crashed()
    {
        var (victim, _) = await StartAndPickVictimAsync("no-retries", retryLimit: 0);

        await _cluster.KillSiloAsync(victim);
        await WaitUntilAsync("no-retries", s => s.Crashed > 0, "the victim's job recorded as crashed");
        TestObjectives.Gate.TrySetResult();
        var status = await WaitUntilAsync("no-retries", s => s.IsEnded, "the run ended");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        var crashed = Assert.Single((await Client.GetResultAsync("no-retries")).GetAllRuns(), r => r.ErrorLogs is not null);
        Assert.Contains("Worker silo died", crashed.ErrorLogs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_that_shuts_down_hands_its_jobs_back_without_using_up_retries()
    {
        var (victim, _) = await StartAndPickVictimAsync("handed-back", retryLimit: 0);

        await _cluster.StopSiloAsync(victim);
        var status = await WaitUntilAsync("handed-back", s => s.Redispatched > 0, "the handed-back job queued again");
        TestObjectives.Gate.TrySetResult();
        status = await WaitUntilAsync("handed-back", s => s.IsEnded, "the run ended");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        Assert.Equal(0, status.Crashed);
    }

    [Fact]
    public async Task A_silo_that_joins_mid_run_gets_jobs_at_once()
    {
        var (_, status) = await StartAndPickVictimAsync("joined", retryLimit: 3);
        Assert.Equal(3, status.SlotsAvailable);

        var joined = await _cluster.StartAdditionalSiloAsync();
        var key = joined.SiloAddress.ToParsableString();
        status = await WaitUntilAsync("joined", s => s.RunningBySilo.ContainsKey(key), "a job running on the new silo");
        TestObjectives.Gate.TrySetResult();
        status = await WaitUntilAsync("joined", s => s.IsEnded, "the run ended");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(4, status.SlotsAvailable);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
    }

    /// <summary>Starts a run whose jobs wait at the gate until all three slots are busy; picks a busy silo that is neither primary nor the run's host.</summary>
    private async Task<(SiloHandle Victim, RunStatus Status)> StartAndPickVictimAsync(string runId, int retryLimit)
    {
        var spec = new RunSpec { Objective = "gated", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 6, Seed = 5, RetryLimit = retryLimit };
        var started = await Client.StartRunAsync(runId, spec);
        Assert.True(started.Accepted, started.Error);
        var status = await WaitUntilAsync(runId, s => s.Running == 3, "all three slots busy");
        var victim = _cluster.SecondarySilos.First(s => s.SiloAddress.ToParsableString() != status.Host);
        Assert.True(status.RunningBySilo.ContainsKey(victim.SiloAddress.ToParsableString()));
        return (victim, status);
    }

    private async Task<RunStatus> WaitUntilAsync(string runId, Func<RunStatus, bool> condition, string what)
    {
        using var cancel = new CancellationTokenSource(ClusterFixture.Deadline);
        var status = await QueryAsync(() => Client.GetStatusAsync(runId), cancel.Token, () => $"Run {runId}: waited for '{what}', but its status never came");
        while (!condition(status))
        {
            if (cancel.IsCancellationRequested || status.IsEnded)
            {
                Assert.Fail($"Run {runId}: waited for '{what}', but got {status with { Spec = null }}");
            }

            var known = status.Finished;
            var last = status;
            status = await QueryAsync(
                () => _cluster.GrainFactory.GetGrain<IRunGrain>(runId).WaitForChangeAsync(known, TimeSpan.FromMilliseconds(200)),
                cancel.Token,
                () => $"Run {runId}: waited for '{what}'; the last status was {last with { Spec = null }}");
        }

        return status;
    }

    /// <summary>
    /// A status query from the test's client, asked again when it does not answer within 2 s: a query sent through
    /// the gateway of a silo the test just killed waits for Orleans' 30 s response timeout. At the deadline the test
    /// fails with <paramref name="failure"/> (what it waited for and the last status it saw).
    /// </summary>
    private static async Task<RunStatus> QueryAsync(Func<Task<RunStatus>> query, CancellationToken deadline, Func<string> failure)
    {
        while (true)
        {
            try
            {
                return await query().WaitAsync(TimeSpan.FromSeconds(2), deadline);
            }
            catch (TimeoutException) when (!deadline.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException && deadline.IsCancellationRequested)
            {
                Assert.Fail(failure());
            }
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseInMemoryRunStore(s_store);
            siloBuilder.AddHpBandSterWorker(o =>
            {
                o.Slots = 1;
                o.HandBackTimeout = TimeSpan.FromSeconds(5);
            });
            TestObjectives.Register(siloBuilder);
        }
    }
}
