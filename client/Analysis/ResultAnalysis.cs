using HpBandSter.Results;

namespace HpBandSter.Client.Analysis;

/// <summary>What <c>hpbandster analyze</c> reports about one result (HpBandSter's Step 5 and its visualization numbers).</summary>
internal sealed class ResultAnalysis
{
    /// <summary>
    /// Budgets whose Spearman correlation with the max budget is below this are flagged. HpBandSter's best practices
    /// ask for budgets whose rankings agree with the max budget's; below 0.5 they agree too little for the small
    /// budgets to pick the right configurations.
    /// </summary>
    public const double LowCorrelation = 0.5;

    /// <summary>Fewer configuration pairs than this and a correlation says little; it is reported, not judged.</summary>
    public const int MinPairsToJudge = 3;

    public ResultAnalysis(OptimizationResult result, TrajectoryFlags flags)
    {
        Result = result;
        Flags = flags;
        Incumbent = result.GetIncumbentRun();
        Trajectory = result.GetIncumbentTrajectory(flags.AllBudgets, flags.BiggerIsBetter, flags.NonDecreasingBudget);
        AllCorrelations = result.GetCorrelationAcrossBudgets();
        var max = result.Settings.MaxBudget;
        WithMaxBudget = AllCorrelations
            .Where(c => c.HigherBudget == max)
            .Select(c => new MaxBudgetCorrelation(c, IsLow(c)))
            .ToArray();
        Picks = result.CountPicks();
        BestModelBased = BestOnMaxBudget(result, modelBased: true);
        BestRandom = BestOnMaxBudget(result, modelBased: false);
        Crashed = result.GetAllRuns().Count(r => r.IsCrashed);
    }

    public OptimizationResult Result { get; }

    public TrajectoryFlags Flags { get; }

    /// <summary>HpBandSter's incumbent (lowest loss on the max budget), or null.</summary>
    public Run? Incumbent { get; }

    public IncumbentTrajectory Trajectory { get; }

    /// <summary>Every budget pair, as HpBandSter's <c>correlation_across_budgets</c>.</summary>
    public IReadOnlyList<BudgetCorrelation> AllCorrelations { get; }

    /// <summary>Each smaller budget against the max budget, with the low flag.</summary>
    public IReadOnlyList<MaxBudgetCorrelation> WithMaxBudget { get; }

    public PickCounts Picks { get; }

    /// <summary>The lowest loss on the max budget among model-based picks, or null.</summary>
    public double? BestModelBased { get; }

    /// <summary>The lowest loss on the max budget among random picks, or null.</summary>
    public double? BestRandom { get; }

    /// <summary>Runs without a finite loss.</summary>
    public int Crashed { get; }

    /// <summary>Whether any budget is flagged low.</summary>
    public bool AnyLow => WithMaxBudget.Any(c => c.Low);

    private static double? BestOnMaxBudget(OptimizationResult result, bool modelBased)
    {
        double? best = null;
        foreach (var run in result.GetAllRuns())
        {
            if (run.Budget == result.Settings.MaxBudget && !run.IsCrashed && result[run.ConfigId].ModelBasedPick == modelBased
                && (best is null || run.Loss < best))
            {
                best = run.Loss;
            }
        }

        return best;
    }

    private static bool IsLow(BudgetCorrelation c) =>
        c.Count >= MinPairsToJudge && !double.IsNaN(c.Rho) && c.Rho < LowCorrelation;
}

/// <summary>One budget's correlation with the max budget.</summary>
/// <param name="Correlation">Spearman's ρ, its p-value and the number of configurations with losses on both budgets.</param>
/// <param name="Low">ρ is below <see cref="ResultAnalysis.LowCorrelation"/> with at least <see cref="ResultAnalysis.MinPairsToJudge"/> pairs.</param>
internal sealed record MaxBudgetCorrelation(BudgetCorrelation Correlation, bool Low);
