using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

namespace HpBandSter.Examples.Tests;

/// <summary>
/// An Orleans client of the test's own, connected to a PostgreSQL-clustered cluster (gateways found in the
/// database, as <c>hpbandster run --postgres</c> finds them), that watches a run another client started: it polls the
/// run's status and remembers every silo that had one of the run's jobs running (<see cref="RunStatus.RunningBySilo"/>).
/// </summary>
internal sealed class RunObserver : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly IHost _host;
    private readonly HpBandSterClient _client;

    private RunObserver(IHost host)
    {
        _host = host;
        _client = host.Services.GetRequiredService<HpBandSterClient>();
    }

    /// <summary>Silo addresses (<c>127.0.0.1:port@generation</c>) seen running at least one of the run's jobs.</summary>
    public HashSet<string> SilosThatRanJobs { get; } = new(StringComparer.Ordinal);

    /// <summary>The last status read (null before the first).</summary>
    public RunStatus? LastStatus { get; private set; }

    /// <summary>Connects to the cluster <paramref name="clusterId"/> (service id hpbandster) whose silos registered in <paramref name="connectionString"/>'s database.</summary>
    public static async Task<RunObserver> ConnectAsync(string connectionString, string clusterId, TimeSpan timeout)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client
            .UseHpBandSterPostgresClustering(connectionString)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "hpbandster";
            })
            .AddHpBandSterClient());
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(timeout);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new RunObserver(host);
    }

    /// <summary>
    /// Polls <paramref name="runId"/>'s status until the run has ended; gives up (without failing: the caller asserts
    /// on what was seen) when <paramref name="stop"/> says so or after <paramref name="timeout"/>.
    /// </summary>
    public async Task WatchAsync(string runId, Func<bool> stop, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested && !stop())
        {
            try
            {
                var status = await _client.GetStatusAsync(runId).WaitAsync(deadline.Token);
                LastStatus = status;
                SilosThatRanJobs.UnionWith(status.RunningBySilo.Where(s => s.Value > 0).Select(s => s.Key));
                if (status.IsEnded)
                {
                    return;
                }

                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _host.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _host.Dispose();
    }
}
