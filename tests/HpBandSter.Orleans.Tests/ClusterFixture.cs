using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace HpBandSter.Orleans.Tests;

/// <summary>
/// Two in-process silos on TestingHost, each with one slot and the built-in and test objectives. A run that must
/// be reproducible keeps one job outstanding (fixed job queue sizes 0 and 1), which is the one-slot sequential loop.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>
    /// The cluster's run store: its own, not <see cref="InMemoryRunStore.Shared"/>. The failover tests run their
    /// clusters in this process at the same time; when every cluster used the shared store (and before runs had an
    /// owner), each cluster brought back the other's unfinished runs: a second activation of a run, whose appends
    /// then conflicted.
    /// </summary>
    public static InMemoryRunStore Store { get; } = new();

    public HpBandSterClient Client => Cluster.Client.ServiceProvider.GetRequiredService<HpBandSterClient>();

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<HpBandSterClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>How long any run in these tests may take.</summary>
    public static TimeSpan Deadline { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The silos' <see cref="Hosting.HpBandSterOptions.SnapshotInterval"/>.</summary>
    public const int SnapshotInterval = 10;

    /// <summary>Starts a run (it must be accepted) and waits for it to end.</summary>
    public async Task<RunStatus> RunToEndAsync(string runId, RunSpec spec)
    {
        var started = await Client.StartRunAsync(runId, spec);
        Assert.True(started.Accepted, started.Error);
        return await WaitAsync(runId);
    }

    /// <summary>Waits for a run to end, failing with its status after <see cref="Deadline"/>.</summary>
    public Task<RunStatus> WaitAsync(string runId) =>
        WaitUntilAsync(runId, s => s.IsEnded, "the run ended");

    /// <summary>Follows a run until <paramref name="condition"/> holds, failing with its status after <see cref="Deadline"/>.</summary>
    public Task<RunStatus> WaitUntilAsync(string runId, Func<RunStatus, bool> condition, string what) =>
        RunWait.UntilAsync(Cluster.GrainFactory, runId, condition, what);

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddHpBandSter(o =>
            {
                o.DataDirectory = Path.Combine(Path.GetTempPath(), "hpbandster-tests");

                // Snapshots after 10 journal entries (then every half of the journal): every run that is rebuilt in
                // these tests is rebuilt from a snapshot and a tail, and must still equal the Core optimizer.
                o.SnapshotInterval = SnapshotInterval;
            });
            siloBuilder.UseInMemoryRunStore(Store);
            siloBuilder.AddHpBandSterWorker(o => o.Slots = 1);
            siloBuilder.AddBuiltInObjectives();
            TestObjectives.Register(siloBuilder);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
