using HpBandSter.Orleans.Client;
using HpBandSter.Spaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace HpBandSter.Benchmarks;

/// <summary>
/// An in-process silo on loopback (free ports) with <see cref="Slots"/> evaluation slots and the objective
/// <see cref="Objective"/>, whose loss is 0 for every configuration and budget: what is left is dispatch.
/// </summary>
internal sealed class DispatchSilo : IAsyncDisposable
{
    /// <summary>The objective's name.</summary>
    public const string Objective = "zero";

    private readonly IHost _host;
    private readonly string _dataDirectory;

    private DispatchSilo(IHost host, int slots, string dataDirectory)
    {
        _host = host;
        Slots = slots;
        _dataDirectory = dataDirectory;
    }

    /// <summary>The objective's search space: one float.</summary>
    public static ConfigurationSpace Space { get; } = new SearchSpaceBuilder().Float("x", 0, 1).Build();

    public int Slots { get; }

    public HpBandSterClient Client => _host.Services.GetRequiredService<HpBandSterClient>();

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<DispatchSilo> StartAsync(int slots)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"hpbandster-bench-{Guid.NewGuid():N}");
        var (siloPort, gatewayPort) = FreePorts();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout is the report's (--json)
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .AddHpBandSter(o => o.DataDirectory = dataDirectory)
            .AddHpBandSterWorker(o => o.Slots = slots)
            .AddObjective(Objective, (config, budget) => 0.0, Space));
        var host = builder.Build();
        await host.StartAsync();
        return new DispatchSilo(host, slots, dataDirectory);
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

    /// <summary>Two distinct free loopback ports (both listeners stay open until both are chosen).</summary>
    internal static (int Silo, int Gateway) FreePorts()
    {
        var ports = LoopbackPorts.Free(2);
        return (ports[0], ports[1]);
    }
}
