using System.Globalization;
using HpBandSter.Results;

namespace HpBandSter.Client.Plots;

/// <summary>
/// The numbers behind each plot, computed from a result as HpBandSter's <c>hpbandster.visualization</c> does
/// (kept apart from the drawing so that they can be checked on their own).
/// </summary>
internal static class PlotData
{
    /// <summary>
    /// The time every plotted time is relative to: the first submission of any run (HpBandSter's loader makes
    /// times relative to it; for a stored run this is the run's first job).
    /// </summary>
    public static double TimeOrigin(OptimizationResult result) =>
        result.RunCount == 0 ? 0 : result.GetAllRuns().Min(r => r.TimeStamps.Submitted);

    /// <summary>The distinct budgets of all runs, ascending.</summary>
    public static double[] Budgets(OptimizationResult result) =>
        result.GetAllRuns().Select(r => r.Budget).Distinct().Order().ToArray();

    /// <summary>
    /// HpBandSter's <c>losses_over_time</c>: per budget (ascending), the finish times and losses of the runs with a
    /// finite loss, by finish time. Budgets whose runs all crashed are left out.
    /// </summary>
    public static IReadOnlyList<BudgetSeries> LossesOverTime(OptimizationResult result, double origin) =>
        result.GetAllRuns()
            .Where(r => !r.IsCrashed)
            .GroupBy(r => r.Budget)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var runs = g.OrderBy(r => r.TimeStamps.Finished).ToArray();
                return new BudgetSeries(g.Key, runs.Select(r => r.TimeStamps.Finished - origin).ToArray(), runs.Select(r => r.Loss!.Value).ToArray());
            })
            .ToArray();

    /// <summary>The running minimum of <paramref name="values"/> (numpy's <c>minimum.accumulate</c>).</summary>
    public static double[] RunningMinimum(IReadOnlyList<double> values)
    {
        var minimum = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            minimum[i] = i == 0 ? values[0] : Math.Min(minimum[i - 1], values[i]);
        }

        return minimum;
    }

    /// <summary>
    /// HpBandSter's <c>concurrent_runs_over_time</c>, exactly rather than on 512 samples: the number of runs with
    /// started &lt;= t &lt; finished, as a step function given by the points where it changes (crashed runs count:
    /// they held a worker too).
    /// </summary>
    public static (double[] Times, double[] Counts) ConcurrentRuns(OptimizationResult result, double origin)
    {
        var changes = new SortedDictionary<double, int>();
        foreach (var run in result.GetAllRuns())
        {
            var started = run.TimeStamps.Started - origin;
            var finished = Math.Max(run.TimeStamps.Finished - origin, started);
            changes[started] = changes.GetValueOrDefault(started) + 1;
            changes[finished] = changes.GetValueOrDefault(finished) - 1;
        }

        var times = new List<double>(changes.Count);
        var counts = new List<double>(changes.Count);
        var running = 0;
        foreach (var (time, change) in changes)
        {
            running += change;
            times.Add(time);
            counts.Add(running);
        }

        return (times.ToArray(), counts.ToArray());
    }

    /// <summary>
    /// HpBandSter's <c>finished_runs_over_time</c>: per budget (ascending), the cumulative number of finished runs
    /// (crashed ones included) over finish time, starting at (0, 0).
    /// </summary>
    public static IReadOnlyList<BudgetSeries> FinishedRunsOverTime(OptimizationResult result, double origin) =>
        result.GetAllRuns()
            .GroupBy(r => r.Budget)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var times = g.Select(r => r.TimeStamps.Finished - origin).Order().ToArray();
                return new BudgetSeries(g.Key, [0, .. times], Enumerable.Range(0, times.Length + 1).Select(i => (double)i).ToArray());
            })
            .ToArray();

    /// <summary>
    /// HpBandSter's <c>correlation_across_budgets</c> as a matrix: rows are the budgets but the largest, columns the
    /// budgets but the smallest, and the cell (i, j) holds the correlation of row budget i with column budget j when
    /// that budget is larger (null below the diagonal).
    /// </summary>
    public static CorrelationMatrix Correlations(OptimizationResult result)
    {
        var budgets = Budgets(result);
        if (budgets.Length < 2)
        {
            return new CorrelationMatrix([], [], new BudgetCorrelation?[0, 0]);
        }

        var rows = budgets[..^1];
        var columns = budgets[1..];
        var cells = new BudgetCorrelation?[rows.Length, columns.Length];
        foreach (var correlation in result.GetCorrelationAcrossBudgets())
        {
            cells[Array.IndexOf(rows, correlation.LowerBudget), Array.IndexOf(columns, correlation.HigherBudget)] = correlation;
        }

        return new CorrelationMatrix(rows, columns, cells);
    }

    /// <summary>
    /// HpBandSter's <c>performance_histogram_model_vs_random</c>: per budget (ascending), the finite losses of
    /// model-based and of random picks; budgets with neither are left out. Configurations without a
    /// <c>model_based_pick</c> flag count as random picks (HyperBand and RandomSearch sample at random and set no
    /// flag, where HpBandSter's function fails with a KeyError); their runs are counted in <see cref="PickLosses.Unflagged"/>.
    /// </summary>
    public static PickLosses ModelVsRandom(OptimizationResult result)
    {
        var picks = result.Configs.ToDictionary(c => c.Id, c => c.ModelBasedPick);
        var unflagged = 0;
        var budgets = new List<BudgetPicks>();
        foreach (var group in result.GetAllRuns().Where(r => !r.IsCrashed).GroupBy(r => r.Budget).OrderBy(g => g.Key))
        {
            var model = new List<double>();
            var random = new List<double>();
            foreach (var run in group)
            {
                switch (picks[run.ConfigId])
                {
                    case true:
                        model.Add(run.Loss!.Value);
                        break;
                    case false:
                        random.Add(run.Loss!.Value);
                        break;
                    default:
                        random.Add(run.Loss!.Value);
                        unflagged++;
                        break;
                }
            }

            if (model.Count + random.Count > 0)
            {
                budgets.Add(new BudgetPicks(group.Key, model.ToArray(), random.ToArray()));
            }
        }

        return new PickLosses(budgets, unflagged);
    }

    /// <summary>
    /// A note on the runs left out of loss plots ("3 crashed runs left out"), or null when none were: crashed runs
    /// (no loss) and runs with a non-finite loss.
    /// </summary>
    public static string? LeftOutNote(OptimizationResult result)
    {
        var crashed = result.GetAllRuns().Count(r => r.Loss is null);
        var nonFinite = result.GetAllRuns().Count(r => r.Loss is { } loss && !double.IsFinite(loss));
        var parts = new List<string>();
        if (crashed > 0)
        {
            parts.Add(Count(crashed, "crashed run") + " (no loss)");
        }

        if (nonFinite > 0)
        {
            parts.Add(Count(nonFinite, "run") + " with a non-finite loss");
        }

        return parts.Count == 0 ? null : string.Join(" and ", parts) + " left out";
    }

    /// <summary>"1 run", "2 runs".</summary>
    public static string Count(int n, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");

    /// <summary>A budget as HpBandSter users read it: up to 6 significant digits, no trailing zeros.</summary>
    public static string FormatBudget(double budget) => budget.ToString("G6", CultureInfo.InvariantCulture);
}

/// <summary>One budget's points: x (time or budget) and y (loss or count).</summary>
internal sealed record BudgetSeries(double Budget, double[] Times, double[] Values);

/// <summary>The rank correlations between budgets as a matrix (see <see cref="PlotData.Correlations"/>).</summary>
internal sealed record CorrelationMatrix(double[] RowBudgets, double[] ColumnBudgets, BudgetCorrelation?[,] Cells);

/// <summary>The losses of model-based and random picks on one budget.</summary>
internal sealed record BudgetPicks(double Budget, double[] ModelBased, double[] Random);

/// <summary>The per-budget losses of model-based and random picks, and how many of the random ones had no pick flag.</summary>
internal sealed record PickLosses(IReadOnlyList<BudgetPicks> Budgets, int Unflagged)
{
    /// <summary>Whether any run on any budget was a model-based pick.</summary>
    public bool AnyModelBased => Budgets.Any(b => b.ModelBased.Length > 0);
}
