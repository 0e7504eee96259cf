using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// Opens the run store when the silo starts (before any grain can need it), and brings unfinished runs back after
/// a crash without a client call: soon after start and then every <see cref="SweepInterval"/>, it lists the runs
/// the store says are running and touches each run grain, which rebuilds itself from its journal and dispatches
/// again what was in flight. Only its own service's runs (<see cref="RunSummary.Owner"/>): another cluster, or another
/// embedded process (each is a service of its own), that shares the store keeps its runs to itself.
/// </summary>
/// <remarks>
/// A sweep instead of Orleans reminders: reminders would need a second storage provider and table (and their
/// minimum period is a minute), while the store already knows which runs are unfinished. Every silo sweeps; a
/// touch of a run that is already active costs one status call.
/// </remarks>
internal sealed partial class RunReviver(IRunStore store, IGrainFactory grains, IOptions<ClusterOptions> cluster, ILogger<RunReviver> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(RunReviver) + ".Store", ServiceLifecycleStage.ApplicationServices, InitializeStoreAsync);
        lifecycle.Subscribe(nameof(RunReviver), ServiceLifecycleStage.Active + 1, OnStartAsync, OnStopAsync);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>Touches every unfinished run once; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var ids = await store.ListUnfinishedRunIdsAsync(cluster.Value.ServiceId, cancellationToken);
        await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                await grains.GetGrain<IRunGrain>(id).GetStatusAsync().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReviveFailed(e, id);
            }
        }));
        return ids.Count;
    }

    private async Task InitializeStoreAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        LogStoreReady(store.Description);
    }

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task LoopAsync()
    {
        var token = _stopping.Token;
        var delay = TimeSpan.FromSeconds(1);
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, token);
                var count = await SweepAsync(token);
                if (count > 0)
                {
                    LogSwept(count);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                LogSweepFailed(e, store.Description);
            }

            delay = SweepInterval;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run store ready: {Store}")]
    private partial void LogStoreReady(string store);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Touched {Count} unfinished runs")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not bring run {RunId} back")]
    private partial void LogReviveFailed(Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing unfinished runs in the {Store} failed; retrying later")]
    private partial void LogSweepFailed(Exception exception, string store);
}
