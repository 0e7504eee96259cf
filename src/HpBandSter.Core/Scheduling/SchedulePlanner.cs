namespace HpBandSter.Scheduling;

/// <summary>Lays out the brackets of a run ahead of time (the CLI's <c>plan</c> command).</summary>
public static class SchedulePlanner
{
    /// <summary>The bracket of one iteration under a scheme.</summary>
    /// <param name="schedule">Budget grid and sizing.</param>
    /// <param name="scheme">Which optimizer's brackets.</param>
    /// <param name="iteration">Iteration number, from 0 (only HyperBand's cycle depends on it).</param>
    /// <param name="largestBudgetWithModel">H2BO only: the largest budget with a model, -infinity for none.</param>
    public static BracketPlan BracketFor(
        HyperbandSchedule schedule, BracketScheme scheme, int iteration, double largestBudgetWithModel = double.NegativeInfinity)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        return scheme switch
        {
            BracketScheme.HyperBand => schedule.Bracket(iteration),
            BracketScheme.RandomSearch => schedule.RandomSearchBracket(),
            BracketScheme.H2bo => schedule.H2boBracket(largestBudgetWithModel),
            _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown bracket scheme."),
        };
    }

    /// <summary>
    /// The brackets of iterations 0 … <paramref name="iterations"/> - 1. H2BO's are computed as if no model existed
    /// yet (every bracket starts at the smallest budget); a real run moves them up as models appear.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> is below 1.</exception>
    public static SchedulePlan Plan(HyperbandSchedule schedule, BracketScheme scheme, int iterations)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (iterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"iterations must be at least 1 (got {iterations}).");
        }

        var brackets = new BracketPlan[iterations];
        for (var i = 0; i < iterations; i++)
        {
            brackets[i] = BracketFor(schedule, scheme, i);
        }

        IReadOnlyList<double> budgets = scheme == BracketScheme.RandomSearch ? [schedule.MaxBudget] : schedule.Budgets;
        return new SchedulePlan(scheme, schedule, budgets, brackets, scheme == BracketScheme.H2bo);
    }
}
