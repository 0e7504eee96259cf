namespace HpBandSter.Results;

/// <summary>Which runs compete when <see cref="OptimizationResult"/> picks the incumbent.</summary>
public enum IncumbentSelection
{
    /// <summary>
    /// HpBandSter's <c>get_incumbent_id</c>: the lowest loss among runs on exactly
    /// <see cref="ResultSettings.MaxBudget"/> whose loss is present (±∞ included, NaN skipped); none when no run
    /// on the maximum budget has a loss. Ties go to the smaller configuration id.
    /// </summary>
    MaxBudget,

    /// <summary>
    /// For each configuration, its successful (finite-loss) run on the largest budget it reached; then the lowest
    /// loss among those. Suits budgets that continue training, where a configuration's latest result supersedes its
    /// earlier ones. Ties go to the larger budget, then the smaller configuration id.
    /// </summary>
    HighestBudgetPerConfig,

    /// <summary>
    /// The lowest finite loss of any run on any budget (what HpBandSter issue #102 asks for: the configuration
    /// together with the budget it was best on). Ties go to the larger budget, then the smaller configuration id.
    /// </summary>
    AnyRun,
}
