using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Workers;

/// <summary>
/// Stops a worker silo by itself: after <see cref="WorkerOptions.IdleTimeout"/> without an evaluation
/// (HpBandSter's <c>Worker(timeout=…)</c>), or, in worker mode (<see cref="WorkerOptions.ExitWhenRunsEnd"/>), once a
/// run that asks its workers to shut down has ended and nothing else is evaluated here (HpBandSter's
/// <c>shutdown(shutdown_workers=True)</c>). It stops the host gracefully, so the silo leaves the cluster and hands
/// back anything it still holds.
/// </summary>
internal sealed partial class WorkerExit(
    EvaluationSlots slots,
    IOptions<WorkerOptions> options,
    IServiceProvider services,
    ILogger<WorkerExit> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan MaxCheckPeriod = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile string? _endedRun;
    private int _disposed;
    private int _stopRequested;

    /// <summary>Whether a run that asked its workers to shut down has ended here (in worker mode), so the silo stops once idle.</summary>
    public bool StopPending => _endedRun is not null;

    /// <summary>A run that asks its workers to shut down has ended.</summary>
    public void RunEnded(string runId)
    {
        if (options.Value.ExitWhenRunsEnd)
        {
            _endedRun = runId;
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WorkerExit), ServiceLifecycleStage.Active, OnStartAsync, _ =>
        {
            _stopping.Cancel();
            return Task.CompletedTask;
        });

    public void Dispose()
    {
        // Registered twice (as itself and as a lifecycle participant), so disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        var idle = options.Value.IdleTimeout;
        if (idle is null && !options.Value.ExitWhenRunsEnd)
        {
            return Task.CompletedTask;
        }

        var period = idle is { } t && t / 4 < MaxCheckPeriod ? t / 4 : MaxCheckPeriod;
        var token = _stopping.Token;
        _ = Task.Run(() => WatchAsync(idle, period, token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task WatchAsync(TimeSpan? idleTimeout, TimeSpan period, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var idleFor = slots.IdleFor;
                if (idleTimeout is { } limit && idleFor >= limit)
                {
                    LogIdle(limit.TotalSeconds);
                    Stop();
                    return;
                }

                if (_endedRun is { } run && idleFor > TimeSpan.Zero && slots.RunsEvaluating().Count == 0)
                {
                    LogRunEnded(run);
                    Stop();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
        {
            return;
        }

        if (services.GetService<IHostApplicationLifetime>() is { } lifetime)
        {
            lifetime.StopApplication();
        }
        else
        {
            LogCannotStop();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No evaluation for {Seconds} s (WorkerOptions.IdleTimeout): this worker silo stops and leaves the cluster")]
    private partial void LogIdle(double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ended and asked its workers to shut down (worker mode): this silo stops and leaves the cluster")]
    private partial void LogRunEnded(string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This worker silo should stop, but its host offers no IHostApplicationLifetime to stop it")]
    private partial void LogCannotStop();
}
