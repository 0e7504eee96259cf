using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace HpBandSter.Orleans.Tests;

/// <summary>
/// Two clusters (two services) on one run store, as two embedded <c>hpbandster run</c> processes in one data directory
/// or two clusters on one database are: each brings back only its own unfinished runs after a crash. Before runs had
/// an owner, the second cluster's silos activated the first one's run too: two activations whose appends conflicted,
/// and whose evaluations ran twice.
/// </summary>
[Collection("ownership")]
public sealed class RunOwnershipTests : IAsyncLifetime
{
    private static readonly InMemoryRunStore s_store = new();
    private readonly List<TestCluster> _clusters = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var cluster in _clusters)
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_cluster_brings_back_only_the_runs_of_its_own_service()
    {
        var a = await DeployAsync("service-a");
        var spec = new RunSpec { Objective = "forever", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 5, Seed = 3 };
        var client = a.Client.ServiceProvider.GetRequiredService<HpBandSterClient>();
        Assert.True((await client.StartRunAsync("owned", spec)).Accepted);
        await RunWait.UntilAsync(a.GrainFactory, "owned", s => s.Running > 0, "a job running");
        Assert.Equal("service-a", (await s_store.ReadAsync("owned"))!.Summary.Owner);

        var b = await DeployAsync("service-b");

        Assert.Equal(0, await Reviver(b).SweepAsync(CancellationToken.None));
        Assert.Equal(1, await Reviver(a).SweepAsync(CancellationToken.None));
        var cancelled = await client.CancelAsync("owned");
        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Equal("service-a", (await s_store.ReadAsync("owned"))!.Summary.Owner);
    }

    private static RunReviver Reviver(TestCluster cluster) =>
        ((InProcessSiloHandle)cluster.Primary!).SiloHost.Services.GetRequiredService<RunReviver>();

    private async Task<TestCluster> DeployAsync(string serviceId)
    {
        var builder = new TestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.AddSiloBuilderConfigurator<Configurator>();
        builder.AddClientBuilderConfigurator<HpBandSterClientConfigurator>();
        var cluster = builder.Build();
        _clusters.Add(cluster);
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UseInMemoryRunStore(s_store);

            // Three slots: a second activation would ask for more jobs at once, and its appends would conflict.
            siloBuilder.AddHpBandSterWorker(o => o.Slots = 3);
            TestObjectives.Register(siloBuilder);
        }
    }
}
