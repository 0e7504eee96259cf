using HpBandSter.Results;

namespace HpBandSter.Client.Analysis;

/// <summary>
/// Puts a result in the shape HpBandSter's <c>logged_results_to_HBS_result</c> gives it, whatever its source, so that
/// <c>analyze RUN</c> and <c>analyze</c> of the run's exported logs print the same numbers.
/// </summary>
internal static class LoaderView
{
    /// <summary>
    /// Rebuilds <paramref name="result"/> as its exported logs would read back: timestamps relative to the first
    /// submission (TimeRef = the smallest absolute <c>submitted</c>), and budgets, min/max budget and eta inferred
    /// from the recorded runs. The arithmetic is the exporter's and the loader's (add the old TimeRef, subtract the
    /// new one), so the times are bit for bit those of the round trip through the logs.
    /// </summary>
    /// <returns>The rebuilt result, or null when no run is recorded (the loader has nothing to infer budgets from).</returns>
    public static OptimizationResult? FromStoredRun(OptimizationResult result)
    {
        var oldRef = result.Settings.TimeRef;
        var runs = result.GetAllRuns()
            .Select(r => oldRef == 0 ? r : r with { TimeStamps = r.TimeStamps.Shift(oldRef) })
            .ToArray();
        if (runs.Length == 0)
        {
            return null;
        }

        var timeRef = double.PositiveInfinity;
        foreach (var run in runs)
        {
            timeRef = Math.Min(timeRef, run.TimeStamps.Submitted);
        }

        var budgets = runs.Select(r => r.Budget).Distinct().Order().ToArray();
        var settings = new ResultSettings(
            MinBudget: budgets[0],
            MaxBudget: budgets[^1],
            Budgets: budgets,
            Eta: budgets.Length < 2 ? null : budgets[1] / budgets[0],
            TimeRef: timeRef);
        return new OptimizationResult(result.Configs, runs, settings);
    }
}
