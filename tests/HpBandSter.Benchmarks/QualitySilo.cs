using HpBandSter.Orleans.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace HpBandSter.Benchmarks;

/// <summary>
/// An embedded cluster as the client's embedded mode runs it: one in-process silo on loopback (free ports), the
/// durable SQLite run store in a temporary data directory, one evaluation slot and the built-in objectives.
/// </summary>
internal sealed class QualitySilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _dataDirectory;

    private QualitySilo(IHost host, string dataDirectory)
    {
        _host = host;
        _dataDirectory = dataDirectory;
    }

    public HpBandSterClient Client => _host.Services.GetRequiredService<HpBandSterClient>();

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<QualitySilo> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"hpbandster-quality-{Guid.NewGuid():N}");
        var (siloPort, gatewayPort) = DispatchSilo.FreePorts();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .AddHpBandSter(o => o.DataDirectory = dataDirectory)
            .AddHpBandSterWorker(o => o.Slots = 1)
            .AddBuiltInObjectives());
        var host = builder.Build();
        await host.StartAsync();
        return new QualitySilo(host, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
