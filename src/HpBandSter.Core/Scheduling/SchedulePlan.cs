namespace HpBandSter.Scheduling;

/// <summary>
/// What a run of several iterations will evaluate: one bracket per iteration and the total budget
/// (built by <see cref="SchedulePlanner.Plan"/>).
/// </summary>
/// <param name="Scheme">Which bracket each iteration runs.</param>
/// <param name="Schedule">The budget grid and bracket arithmetic.</param>
/// <param name="Budgets">The budgets the plan can use, ascending: the schedule's grid, or only the maximum budget for
/// RandomSearch.</param>
/// <param name="Iterations">The bracket of iteration 0, 1, …</param>
/// <param name="AssumesNoModel">True for H2BO, whose brackets depend on the model; the plan assumes there is none yet.</param>
public sealed record SchedulePlan(
    BracketScheme Scheme,
    HyperbandSchedule Schedule,
    IReadOnlyList<double> Budgets,
    IReadOnlyList<BracketPlan> Iterations,
    bool AssumesNoModel)
{
    /// <summary>Σ configurations × budget over every stage of every iteration, summed in order.</summary>
    public double TotalBudget => Iterations.Aggregate(0.0, (total, bracket) => total + bracket.TotalBudget);

    /// <summary><see cref="TotalBudget"/> in evaluations at the maximum budget.</summary>
    public double TotalBudgetInFullEvaluations => TotalBudget / Schedule.MaxBudget;

    /// <summary>Total number of evaluations (configuration × budget runs) over all iterations.</summary>
    public int TotalEvaluations => Iterations.Sum(bracket => bracket.NumConfigs.Sum());
}
