using System.Globalization;
using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;

namespace HpBandSter.Client;

/// <summary>
/// Starts a run through a <see cref="ClusterSession"/>, follows it with progress (and live logs with <c>--out</c>)
/// until it ends (or cancels it when the token fires, for Ctrl+C), and prints the summary as text or JSON.
/// </summary>
internal sealed class RunFollower(TextWriter output, TextWriter error, bool json, BenchmarkObjective? problem)
{
    private LiveLog? _log;
    private bool _logFailed;

    /// <summary>What the run recorded, once it ended (null when it never started).</summary>
    public OptimizationResult? Result { get; private set; }

    /// <summary>The run's last status seen (null before following).</summary>
    public RunStatus? Status { get; private set; }

    /// <summary>Where to write HpBandSter's live logs (<c>--out</c>), or null.</summary>
    public string? OutDirectory { get; init; }

    /// <summary>The search space's JSON for <c>configspace.json</c>, or null to write none.</summary>
    public string? ConfigSpaceJson { get; init; }

    private string? _lastNote;

    /// <summary>Whether to show progress (text output only); off when the caller showed it already.</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>Whether Ctrl+C cancels the run (run, resume) or only stops following it (watch).</summary>
    public bool CancelOnInterrupt { get; init; } = true;

    /// <summary>Runs <paramref name="spec"/> under <paramref name="runId"/>; returns the exit code (0, 2 refused, 130 interrupted).</summary>
    public async Task<int> RunAsync(ClusterSession session, string runId, RunSpec spec, CancellationToken cancellationToken)
    {
        var client = session.Client;
        RunStartResult start;
        try
        {
            start = await client.StartRunAsync(runId, spec).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The start may still arrive: cancel whatever was started under this id.
            await client.CancelAsync(runId);
            error.WriteLine($"Interrupted while starting run {runId}.");
            return Cli.Interrupted;
        }

        if (!start.Accepted)
        {
            error.WriteLine($"error: run {runId} refused: {start.Error}");
            return Cli.UsageError;
        }

        if (!json)
        {
            output.WriteLine(
                $"run {runId}: {spec.Optimizer} on {spec.Objective}, budgets {string.Join(", ", start.Status.Budgets.Select(Text))}, "
                + $"{spec.Iterations} iterations, seed {spec.Seed}; {session.Description}");
            output.Flush();
        }

        return await FollowAsync(session, runId, cancellationToken);
    }

    /// <summary>
    /// Follows a started run until it ends and prints the summary. When the token fires (Ctrl+C) the run is cancelled,
    /// or with <see cref="CancelOnInterrupt"/> false (watch) only the following stops and the run goes on.
    /// </summary>
    /// <returns>0 when the run ended, 130 when interrupted, 1 when the live logs could not be written.</returns>
    public async Task<int> FollowAsync(ClusterSession session, string runId, CancellationToken cancellationToken)
    {
        var client = session.Client;
        var grain = session.Grains.GetGrain<IRunGrain>(runId);
        var terminal = RunProgress.IsTerminal(error);
        var progress = json || !ShowProgress ? null : new RunProgress(error, terminal, terminal ? RunProgress.TerminalWidth() : int.MaxValue);
        RunStatus status;
        var interrupted = false;
        try
        {
            try
            {
                if (OutDirectory is not null && _log is null && !_logFailed)
                {
                    var opened = await OpenLogAsync(session, runId, cancellationToken);
                    if (opened != 0)
                    {
                        return opened;
                    }
                }

                status = _log is null ? await grain.GetStatusAsync() : await CatchUpAsync(grain, null, cancellationToken);
                while (status.State == RunState.Running)
                {
                    ShowNote(status, progress);
                    progress?.Report(status);
                    var known = _log is null ? status.Finished : _log.Cursor.Runs;
                    status = await grain.WaitForChangeAsync(known, TimeSpan.FromSeconds(1)).WaitAsync(cancellationToken);
                    status = await CatchUpAsync(grain, status, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                status = CancelOnInterrupt ? await client.CancelAsync(runId) : await client.GetStatusAsync(runId);
            }

            Status = status;
            ShowNote(status, progress);
            progress?.Finish(status);
            if (interrupted && !CancelOnInterrupt)
            {
                error.WriteLine($"Stopped watching run {runId}; it goes on ({status.State.ToString().ToLowerInvariant()}, {status.Finished} of {status.EvaluationsPlanned} evaluations recorded).");
                return Cli.Interrupted;
            }

            if (interrupted && !json)
            {
                error.WriteLine($"Interrupted: run {runId} cancelled.");
            }

            var result = await client.GetResultAsync(runId);
            Result = result;
            await CatchUpAsync(grain, status, CancellationToken.None);
            if (_log is not null)
            {
                try
                {
                    _log.Finish(result);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogFailed(e);
                }
            }

            if (json)
            {
                output.WriteLine(RunSummary.Json(result, status));
            }
            else
            {
                RunSummary.WriteText(result, status, problem, output);
            }

            output.Flush();
            if (interrupted)
            {
                return Cli.Interrupted;
            }

            if (status.State == RunState.Cancelled && CancelOnInterrupt)
            {
                // Cancelled by someone else (another client's cancel, or its MinSlotsTimeout): not a success.
                error.WriteLine($"Run {runId} was cancelled; 'hpbandster resume {runId}' continues it.");
                return 1;
            }

            return _logFailed ? 1 : 0;
        }
        finally
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>
    /// Opens the live logs in <see cref="OutDirectory"/> now (before following; <c>resume</c> does it before it resumes
    /// the run so that a directory of another run is refused first). Returns 0, or the exit code after an error.
    /// </summary>
    public async Task<int> OpenLogAsync(ClusterSession session, string runId, CancellationToken cancellationToken)
    {
        if (OutDirectory is null)
        {
            return 0;
        }

        var grain = session.Grains.GetGrain<IRunGrain>(runId);
        try
        {
            (_log, _) = await LiveLog.OpenAsync(OutDirectory, ConfigSpaceJson, grain.GetResultsAsync, cancellationToken);
            return 0;
        }
        catch (LiveLogMismatchException e)
        {
            error.WriteLine($"error: --out: {e.Message}");
            return Cli.UsageError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: --out: cannot write the logs to '{OutDirectory}': {e.Message}");
            return 1;
        }
    }

    /// <summary>Brings the live logs up to the run's record; returns the latest status (<paramref name="status"/> without logs).</summary>
    private async Task<RunStatus> CatchUpAsync(IRunGrain grain, RunStatus? status, CancellationToken cancellationToken)
    {
        if (_log is null)
        {
            return status ?? await grain.GetStatusAsync();
        }

        try
        {
            return (await _log.CatchUpAsync(grain.GetResultsAsync, cancellationToken)).Status;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogFailed(e);
            return status ?? await grain.GetStatusAsync();
        }
    }

    private void LogFailed(Exception e)
    {
        error.WriteLine($"error: --out: cannot write the logs to '{OutDirectory}' (they stop here): {e.Message}");
        _logFailed = true;
        _log?.Dispose();
        _log = null;
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Prints what the run says it waits for, or why it stopped (<see cref="RunStatus.Note"/>), once per change.</summary>
    private void ShowNote(RunStatus status, RunProgress? progress)
    {
        if (status.Note is not { } note || note == _lastNote || json)
        {
            return;
        }

        _lastNote = note;
        if (progress is null)
        {
            error.WriteLine($"run {status.RunId}: {note}");
        }
        else
        {
            progress.Note($"run {status.RunId}: {note}");
        }
    }
}
