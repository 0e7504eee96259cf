namespace HpBandSter.Benchmarks;

/// <summary>The measured outcome of one seed of one optimizer on one problem.</summary>
/// <param name="Problem">The problem's name.</param>
/// <param name="Optimizer">The optimizer's display name.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Evaluations">Evaluations that ended within the total budget.</param>
/// <param name="Iterations">Iterations the optimizer opened.</param>
/// <param name="BudgetSpent">Σ budgets of the evaluations that ended within the total budget.</param>
/// <param name="RegretAt">The incumbent's regret at each of <see cref="QualityBenchmark.Fractions"/> of the total budget (NaN: no incumbent yet).</param>
/// <param name="Trajectory">(cumulative budget, regret) at every change of the incumbent.</param>
/// <param name="Seconds">Wall time of the run.</param>
/// <param name="NewConfigs">Configurations the optimizer proposed (including any whose evaluation ended beyond the total budget).</param>
/// <param name="ModelBased">Of those, proposed by the model (BOHB, H2BO) rather than drawn from the prior.</param>
internal sealed record QualityRun(
    string Problem,
    string Optimizer,
    long Seed,
    int Evaluations,
    int Iterations,
    double BudgetSpent,
    double[] RegretAt,
    IReadOnlyList<(double Budget, double Regret)> Trajectory,
    double Seconds,
    int NewConfigs,
    int ModelBased);
