using Orleans.Hosting;
using Orleans.TestingHost;

namespace HpBandSter.Orleans.Tests;

/// <summary>The test clusters' client: the HpBandSter client API on TestingHost's cluster client.</summary>
public sealed class HpBandSterClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.AddHpBandSterClient();
}
