using System.Text.Json.Nodes;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;
using Orleans;

namespace HpBandSter.Orleans.Client;

/// <summary>Starts, follows and cancels runs on a cluster and reads their results.</summary>
public sealed class HpBandSterClient(IGrainFactory grains)
{
    private const int PageSize = 5000;

    /// <summary>Starts a run under <paramref name="runId"/>. The specification is checked here first, then by the run grain.</summary>
    public async Task<RunStartResult> StartRunAsync(string runId, RunSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(spec);
        if (RunSpecValidator.FindError(spec) is { } error)
        {
            return RunStartResult.Refused(error);
        }

        return await grains.GetGrain<IRunGrain>(runId).StartAsync(spec);
    }

    /// <summary>The run's status (<see cref="RunState.Unknown"/> when there is no such run).</summary>
    public Task<RunStatus> GetStatusAsync(string runId) => grains.GetGrain<IRunGrain>(runId).GetStatusAsync();

    /// <summary>Cancels the run; it keeps what it has recorded.</summary>
    public Task<RunStatus> CancelAsync(string runId) => grains.GetGrain<IRunGrain>(runId).CancelAsync();

    /// <summary>
    /// Resumes a cancelled run, or extends a run by <paramref name="additionalIterations"/> iterations (HpBandSter's
    /// <c>run()</c> called again). A run that is still running is only extended.
    /// </summary>
    /// <exception cref="InvalidOperationException">No run exists under <paramref name="runId"/>.</exception>
    public Task<RunStatus> ResumeAsync(string runId, int additionalIterations = 0) =>
        grains.GetGrain<IRunGrain>(runId).ResumeAsync(additionalIterations);

    /// <summary>Follows the run until it ends, reporting its status after each change (long polls, no busy waiting).</summary>
    public async Task<RunStatus> WaitForEndAsync(string runId, Action<RunStatus>? onProgress = null, CancellationToken cancellationToken = default)
    {
        var grain = grains.GetGrain<IRunGrain>(runId);
        var status = await grain.GetStatusAsync();
        while (status.State == RunState.Running)
        {
            cancellationToken.ThrowIfCancellationRequested();
            onProgress?.Invoke(status);
            status = await grain.WaitForChangeAsync(status.Finished, TimeSpan.FromSeconds(1)).WaitAsync(cancellationToken);
        }

        onProgress?.Invoke(status);
        return status;
    }

    /// <summary>Everything the run recorded, as a Core <see cref="OptimizationResult"/>.</summary>
    /// <exception cref="InvalidOperationException">No run exists under <paramref name="runId"/>.</exception>
    public async Task<OptimizationResult> GetResultAsync(string runId)
    {
        var grain = grains.GetGrain<IRunGrain>(runId);
        var configs = new List<ConfigData>();
        var runs = new List<RunData>();
        var cursor = default(ResultsCursor);
        RunStatus status;
        while (true)
        {
            var page = await grain.GetResultsAsync(cursor, PageSize);
            configs.AddRange(page.Configs);
            runs.AddRange(page.Runs);
            cursor = page.Next;
            status = page.Status;
            if (page.Runs.Length < PageSize)
            {
                break;
            }
        }

        if (status.Spec is null || await grain.GetSpecAsync() is not { } spec)
        {
            throw new InvalidOperationException($"There is no run with id '{runId}'.");
        }

        return ToResult(spec, status, configs, runs);
    }

    /// <summary>Builds a Core result from recorded configurations and runs (whose timestamps are relative to the run's start).</summary>
    public static OptimizationResult ToResult(RunSpec spec, RunStatus status, IEnumerable<ConfigData> configs, IEnumerable<RunData> runs)
    {
        ArgumentNullException.ThrowIfNull(status);
        return ToResult(spec, status.Budgets, status.StartedAt, configs, runs);
    }

    /// <summary>
    /// Builds a Core result from recorded configurations and runs whose timestamps are relative to
    /// <paramref name="startedAt"/> (Unix seconds; the result's TimeRef). A warm-started run's result begins with
    /// the warm-start data as iteration -1 (HpBandSter's <c>WarmStartIteration</c>), its times before the run's start.
    /// </summary>
    public static OptimizationResult ToResult(RunSpec spec, IReadOnlyList<double> budgets, double startedAt, IEnumerable<ConfigData> configs, IEnumerable<RunData> runs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var warm = spec.WarmStart is not null && spec.SearchSpace is { } space
            ? RunSpecValidator.ReadWarmStart(spec.WarmStart, RunSpecValidator.ParseSpace(space), startedAt)
            : null;
        return ToResult(spec, budgets, startedAt, configs, runs, warm);
    }

    /// <summary>As above, with the run's warm-start data already read (timed to <paramref name="startedAt"/>).</summary>
    internal static OptimizationResult ToResult(RunSpec spec, IReadOnlyList<double> budgets, double startedAt, IEnumerable<ConfigData> configs, IEnumerable<RunData> runs, WarmStartData? warm)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(budgets);
        var records = configs.Select(c => new ConfigRecord(
            new ConfigId(c.Iteration, c.Stage, c.Index),
            ConfigEntry.ToConfiguration(c.Config),
            JsonNode.Parse(c.InfoJson)?.AsObject() ?? []));
        var results = runs.Select(r => new Run(
            r.Key.ToJobKey().Id,
            r.Key.Budget,
            r.Loss,
            r.InfoJson is { } info ? JsonNode.Parse(info) : null,
            new RunTimestamps(r.Submitted, r.Started, r.Finished).Shift(startedAt),
            r.Error));
        if (warm is not null)
        {
            records = warm.Configs.Concat(records);
            results = warm.Runs.Concat(results);
        }

        return new OptimizationResult(records, results, new ResultSettings(spec.MinBudget, spec.MaxBudget, budgets, spec.Eta, startedAt));
    }
}
