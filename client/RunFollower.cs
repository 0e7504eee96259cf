using System.Globalization;
using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;

namespace HpBandSter.Client;

/// <summary>
/// Starts a run through a <see cref="ClusterSession"/>, follows it with progress until it ends (or cancels it when
/// the token fires, for Ctrl+C), and prints the summary as text or JSON.
/// </summary>
internal sealed class RunFollower(TextWriter output, TextWriter error, bool json, BenchmarkObjective? problem)
{
    /// <summary>What the run recorded, once it ended (null when it never started).</summary>
    public OptimizationResult? Result { get; private set; }

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

    /// <summary>Follows a started run until it ends (cancelling it when the token fires) and prints the summary.</summary>
    public async Task<int> FollowAsync(ClusterSession session, string runId, CancellationToken cancellationToken)
    {
        var client = session.Client;
        var terminal = RunProgress.IsTerminal(error);
        var progress = json ? null : new RunProgress(error, terminal, terminal ? RunProgress.TerminalWidth() : int.MaxValue);
        RunStatus status;
        var interrupted = false;
        try
        {
            status = await client.WaitForEndAsync(runId, s => progress?.Report(s), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
            status = await client.CancelAsync(runId);
        }

        progress?.Finish(status);
        if (interrupted && !json)
        {
            error.WriteLine($"Interrupted: run {runId} cancelled.");
        }

        var result = await client.GetResultAsync(runId);
        Result = result;
        if (json)
        {
            output.WriteLine(RunSummary.Json(result, status));
        }
        else
        {
            RunSummary.WriteText(result, status, problem, output);
        }

        output.Flush();
        return interrupted ? Cli.Interrupted : 0;
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
