namespace HpBandSter.Benchmarks;

/// <summary>
/// The regret of a run's incumbent as its cumulative budget grows. The incumbent is the configuration with the
/// lowest observed (noisy) loss among the evaluations on the maximum budget; its regret is measured with the
/// noise-free true loss. Evaluations count in the order they finished, each costing its budget (successive halving
/// retrains a promoted configuration from scratch), and only those that end within the total budget count.
/// </summary>
internal static class QualityTrajectory
{
    /// <summary>
    /// The incumbent's changes: (cumulative budget after the evaluation that made it the incumbent, its regret).
    /// Evaluations that end beyond <paramref name="totalBudget"/> are not counted.
    /// </summary>
    public static IReadOnlyList<(double Budget, double Regret)> Steps(IEnumerable<QualityEvaluation> evaluations, double maxBudget, double totalBudget)
    {
        var steps = new List<(double, double)>();
        var spent = 0.0;
        var bestLoss = double.PositiveInfinity;
        foreach (var e in evaluations)
        {
            spent += e.Budget;
            if (spent > totalBudget)
            {
                break;
            }

            // A strictly lower loss replaces the incumbent; on a tie the earlier evaluation stays.
            if (e.Budget == maxBudget && double.IsFinite(e.Loss) && e.Loss < bestLoss)
            {
                bestLoss = e.Loss;
                steps.Add((spent, e.Regret));
            }
        }

        return steps;
    }

    /// <summary>The budget spent on the evaluations that end within <paramref name="totalBudget"/>.</summary>
    public static double Spent(IEnumerable<QualityEvaluation> evaluations, double totalBudget)
    {
        var spent = 0.0;
        foreach (var e in evaluations)
        {
            if (spent + e.Budget > totalBudget)
            {
                break;
            }

            spent += e.Budget;
        }

        return spent;
    }

    /// <summary>The incumbent's regret once <paramref name="budget"/> has been spent; NaN when no maximum-budget evaluation had ended by then.</summary>
    public static double RegretAt(IReadOnlyList<(double Budget, double Regret)> steps, double budget)
    {
        var regret = double.NaN;
        foreach (var (spent, r) in steps)
        {
            if (spent > budget)
            {
                break;
            }

            regret = r;
        }

        return regret;
    }
}
