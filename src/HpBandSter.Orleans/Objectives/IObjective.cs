using HpBandSter.Spaces;

namespace HpBandSter.Orleans.Objectives;

/// <summary>
/// The function being optimized (HpBandSter's <c>Worker.compute</c>): evaluates one configuration on one budget and
/// returns its loss (lower is better) and optional information. Registered on a silo by name with
/// <c>AddObjective</c>; runs name the objective they need.
/// </summary>
/// <remarks>
/// <para>Called off any grain's turn, on a thread-pool thread, possibly for hours: synchronous CPU-bound code is fine.
/// Several evaluations run at once when the silo has several slots, so an implementation must be thread-safe.</para>
/// <para>An exception is recorded as a crashed run with the exception's text, as is a NaN or infinite loss (BOHB's
/// model counts both as loss +∞). Honour <see cref="ObjectiveContext.CancellationToken"/>: it fires on the run's
/// per-job timeout, when the run is cancelled and when the silo shuts down.</para>
/// </remarks>
public interface IObjective
{
    /// <summary>The search space to use when a run does not bring its own (HpBandSter's <c>get_configspace()</c>); null when there is none.</summary>
    ConfigurationSpace? SearchSpace => null;

    /// <summary>Evaluates <paramref name="configuration"/> on <paramref name="budget"/>.</summary>
    ValueTask<ObjectiveResult> EvaluateAsync(Configuration configuration, double budget, ObjectiveContext context);
}
