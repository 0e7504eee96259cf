using HpBandSter.Spaces;

namespace HpBandSter.Objectives;

/// <summary>
/// A built-in test problem with a known optimum, used by the tests, the benchmarks and the quick start.
/// </summary>
/// <remarks>
/// Each problem is multi-fidelity: with <c>z = budget / MaxBudget</c> the noise (and for some the function
/// itself) depends on the budget, and at <c>z = 1</c> the noise-free value is <see cref="TrueLoss"/>.
/// Noise is drawn from the <see cref="RandomSource"/> handed to <see cref="Evaluate"/>, so an evaluation is
/// reproducible; <see cref="NoiseSource"/> derives that source from a run seed and the job.
/// </remarks>
public abstract class BenchmarkObjective
{
    /// <summary>The name a run uses to ask for this objective (<c>toy</c>, <c>branin</c>, ...).</summary>
    public abstract string Name { get; }

    /// <summary>A one-line description for help texts.</summary>
    public abstract string Description { get; }

    /// <summary>The search space the problem is defined on.</summary>
    public abstract ConfigurationSpace Space { get; }

    /// <summary>The smallest budget the problem is meant to be run with.</summary>
    public abstract double MinBudget { get; }

    /// <summary>The full-fidelity budget (z = 1).</summary>
    public abstract double MaxBudget { get; }

    /// <summary>The lowest possible <see cref="TrueLoss"/>.</summary>
    public abstract double Optimum { get; }

    /// <summary>The noise-free loss at the maximum budget.</summary>
    public abstract double TrueLoss(Configuration configuration);

    /// <summary>One noisy evaluation at <paramref name="budget"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The budget is not positive and finite.</exception>
    public abstract ObjectiveEvaluation Evaluate(Configuration configuration, double budget, RandomSource noise);

    /// <summary>Regret of a configuration: its true loss minus the optimum.</summary>
    public double Regret(Configuration configuration) => TrueLoss(configuration) - Optimum;

    /// <summary>The fidelity <c>z = budget / MaxBudget</c>, validated.</summary>
    protected double Fidelity(double budget)
    {
        if (!double.IsFinite(budget) || budget <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, $"The {Name} objective needs a positive, finite budget.");
        }

        return budget / MaxBudget;
    }

    /// <summary>
    /// The noise source of one job, derived from the run's seed, the config id and the budget, so that a job's
    /// loss does not depend on the order in which jobs are evaluated or on which worker evaluates them.
    /// </summary>
    public static RandomSource NoiseSource(long runSeed, ConfigId id, double budget)
    {
        var x = unchecked((ulong)runSeed);
        x = RandomSource.Mix64(x ^ 0x5DEECE66DUL);
        x = RandomSource.Mix64(x ^ unchecked((ulong)id.Iteration));
        x = RandomSource.Mix64(x ^ unchecked((ulong)id.Stage));
        x = RandomSource.Mix64(x ^ unchecked((ulong)id.Index));
        x = RandomSource.Mix64(x ^ BitConverter.DoubleToUInt64Bits(budget));
        return new RandomSource(x);
    }
}
