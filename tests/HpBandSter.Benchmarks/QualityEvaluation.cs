namespace HpBandSter.Benchmarks;

/// <summary>One finished evaluation of a quality run, in the order the optimizer received the results.</summary>
/// <param name="Iteration">The config id's iteration.</param>
/// <param name="Stage">The config id's stage.</param>
/// <param name="Index">The config id's index.</param>
/// <param name="Budget">The budget it was evaluated on.</param>
/// <param name="Loss">The (noisy) loss the optimizer was told.</param>
/// <param name="Regret">The configuration's noise-free regret: its true loss at the maximum budget minus the optimum.</param>
internal sealed record QualityEvaluation(int Iteration, int Stage, int Index, double Budget, double Loss, double Regret);
