namespace HpBandSter.Results;

/// <summary>
/// The optimizer settings a result needs for its analyses (the part of HpBandSter's <c>HB_config</c> that
/// <c>Result</c> reads).
/// </summary>
/// <param name="MinBudget">
/// The optimizer's <c>min_budget</c>. The incumbent trajectory starts from it (HpBandSter's
/// <c>incumbent_budget = HB_config['min_budget']</c>); it may be below the smallest budget actually used.
/// </param>
/// <param name="MaxBudget">The largest budget; the incumbent is chosen among runs on exactly this budget.</param>
/// <param name="Budgets">The budgets of the successive-halving stages, ascending.</param>
/// <param name="Eta">The halving rate, or null when it is unknown (logs with a single budget).</param>
/// <param name="TimeRef">
/// The clock reading at the start of the run (seconds). <see cref="OptimizationResult"/> subtracts it from
/// every timestamp it is given.
/// </param>
public sealed record ResultSettings(
    double MinBudget,
    double MaxBudget,
    IReadOnlyList<double> Budgets,
    double? Eta,
    double TimeRef)
{
    /// <summary>The number of successive-halving stages in the largest bracket (HpBandSter's <c>max_SH_iter</c>).</summary>
    public int MaxSuccessiveHalvingIterations => Budgets.Count;
}
