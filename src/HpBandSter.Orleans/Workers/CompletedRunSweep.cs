using System.Text.Json;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Hosting;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Workers;

/// <summary>
/// Tidies up after runs that completed while this silo was down. A completed run tells the silos of its objective
/// (<see cref="IWorkerGrain.RunEndedAsync"/>), and an objective that keeps job directories by a retention rule
/// (<see cref="IRunEndObserver"/>) applies it then; a silo that was not running missed that. At start, in the
/// background, this reads every run directory under <c>&lt;data dir&gt;/jobs</c>, and for each run the store says
/// has completed, hands its incumbent to its objective as the run itself would have.
/// </summary>
internal sealed partial class CompletedRunSweep(
    IRunStore store,
    ObjectiveRegistry objectives,
    IOptions<HpBandSterOptions> options,
    ILogger<CompletedRunSweep> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _sweep = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CompletedRunSweep), ServiceLifecycleStage.Active + 1, OnStartAsync, OnStopAsync);

    public void Dispose() => _stopping.Dispose();

    /// <summary>Applies the retention of every completed run with a directory here; returns how many runs it handed over.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var jobs = ObjectiveContext.JobsDirectory(Path.GetFullPath(options.Value.DataDirectory));
        if (!Directory.Exists(jobs))
        {
            return 0;
        }

        var handed = 0;
        foreach (var runDirectory in Directory.EnumerateDirectories(jobs))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (RunIdOf(runDirectory) is not { } runId)
            {
                continue;
            }

            try
            {
                // The header and summary first (no journal read), and the journal only for a completed run whose
                // objective tidies and whose directory was not tidied since it reached this many results.
                if (await store.ReadAsync(runId, fromSequence: long.MaxValue, useSnapshot: false, cancellationToken) is not { Summary.State: "completed" } stored
                    || !objectives.TryGet(RunJournalFormat.ReadSpec(runId, stored.Header.SpecJson).Objective, out var objective)
                    || objective is not IRunEndObserver { TidiesRunDirectories: true } observer
                    || Tidied(runDirectory) == stored.Summary.Finished
                    || await RunHistory.LoadAsync(store, runId, cancellationToken: cancellationToken) is not { } history)
                {
                    continue;
                }

                Apply(observer, runId, runDirectory, history.Incumbent?.Key.ToJobKey(), stored.Summary.Finished, logger);
                handed++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(e, runId, runDirectory);
            }
        }

        return handed;
    }

    /// <summary>The number of results the run had when its directory was last tidied, or null.</summary>
    private static int? Tidied(string runDirectory)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(runDirectory, IRunEndObserver.TidiedMarker)), out var finished) ? finished : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Hands a completed run to its objective (<see cref="IRunEndObserver.OnRunCompleted"/>) and, when the objective
    /// tidies, marks the run's directory as tidied at <paramref name="finished"/> results, so that the next start of
    /// this silo does not read the run again. Used on the run's completion notice and by the sweep at start.
    /// </summary>
    internal static void Apply(IRunEndObserver observer, string runId, string runDirectory, JobKey? incumbent, int finished, ILogger logger)
    {
        observer.OnRunCompleted(runId, runDirectory, incumbent, logger);
        if (observer.TidiesRunDirectories)
        {
            MarkTidied(runDirectory, finished);
        }
    }

    /// <summary>Notes in a run directory that is still there that its run was tidied at <paramref name="finished"/> results.</summary>
    private static void MarkTidied(string runDirectory, int finished)
    {
        if (Directory.Exists(runDirectory))
        {
            File.WriteAllText(Path.Combine(runDirectory, IRunEndObserver.TidiedMarker), finished.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The run id written into the <c>job.json</c> of one of the run directory's jobs (a directory name may be a sanitized id).</summary>
    private static string? RunIdOf(string runDirectory)
    {
        foreach (var job in Directory.EnumerateDirectories(runDirectory))
        {
            var file = Path.Combine(job, CommandObjective.JobFileName);
            if (!File.Exists(file))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(file));
                if (document.RootElement.TryGetProperty("run_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } runId)
                {
                    return runId;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                // Not every job has a readable job.json (an objective of this process writes none); try the next.
            }
        }

        return null;
    }

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        var token = _stopping.Token;
        _sweep = Task.Run(async () =>
        {
            try
            {
                var handed = await SweepAsync(token);
                if (handed > 0)
                {
                    LogSwept(handed);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                LogSweepFailed(e, "-", ObjectiveContext.JobsDirectory(options.Value.DataDirectory));
            }
        }, token);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _sweep.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied job-directory retention to {Runs} runs that completed while this silo was down")]
    private partial void LogSwept(int runs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not apply job-directory retention to run {RunId} ({Directory})")]
    private partial void LogSweepFailed(Exception exception, string runId, string directory);
}
