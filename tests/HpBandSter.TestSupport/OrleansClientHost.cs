using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace HpBandSter.TestSupport;

/// <summary>An Orleans client with the HpBandSter client in a host of its own, without logging, as the tests and benchmarks use it.</summary>
public static class OrleansClientHost
{
    /// <summary>
    /// Builds and starts a client host with <paramref name="clustering"/>; fails after <paramref name="timeout"/>, and
    /// then stops the half-started client (see <see cref="StopAsync"/>) before it throws.
    /// </summary>
    public static async Task<IHost> StartAsync(Action<IClientBuilder> clustering, TimeSpan timeout)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c =>
        {
            clustering(c);
            c.AddHpBandSterClient();
        });
        var client = builder.Build();
        try
        {
            await client.StartAsync().WaitAsync(timeout);
            return client;
        }
        catch
        {
            await StopAsync(client);
            throw;
        }
    }

    /// <summary>Stops the client (at most 5 s: a client that knows only dead gateways may not stop cleanly) and disposes it.</summary>
    public static async Task StopAsync(IHost client)
    {
        try
        {
            await client.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
        }

        client.Dispose();
    }
}
