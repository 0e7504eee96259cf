namespace HpBandSter.Results;

/// <summary>
/// Spearman's rank correlation of the losses of the configurations evaluated on both of two budgets
/// (one cell of HpBandSter's <c>correlation_across_budgets</c> plot).
/// </summary>
/// <param name="LowerBudget">The smaller budget.</param>
/// <param name="HigherBudget">The larger budget.</param>
/// <param name="Count">How many configurations have a finite loss on both budgets.</param>
/// <param name="Rho">Spearman's ρ (ties get average ranks); NaN with fewer than two pairs or constant losses.</param>
/// <param name="PValue">
/// Two-sided p-value for ρ = 0 from the t-distribution with <c>Count - 2</c> degrees of freedom (as SciPy's
/// <c>spearmanr</c>); 0 when |ρ| = 1, NaN when <c>Count &lt; 3</c> or ρ is NaN.
/// </param>
public sealed record BudgetCorrelation(double LowerBudget, double HigherBudget, int Count, double Rho, double PValue);
