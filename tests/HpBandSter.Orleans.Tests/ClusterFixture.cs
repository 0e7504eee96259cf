using HpBandSter.Orleans.Client;
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

    public HpBandSterClient Client => Cluster.Client.ServiceProvider.GetRequiredService<HpBandSterClient>();

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddHpBandSter(o => o.DataDirectory = Path.Combine(Path.GetTempPath(), "hpbandster-tests"));
            siloBuilder.AddHpBandSterWorker(o => o.Slots = 1);
            siloBuilder.AddBuiltInObjectives();
            TestObjectives.Register(siloBuilder);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddHpBandSterClient();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
