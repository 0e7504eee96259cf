using HpBandSter.Orleans.Storage;
using HpBandSter.Results;

namespace HpBandSter.Orleans.Runs;

/// <summary>A run as its store holds it, read without a cluster.</summary>
/// <param name="Spec">The run's specification, its search space filled in (ConfigSpace JSON).</param>
/// <param name="State">Running (unfinished: no silo may be running it right now), completed or cancelled.</param>
/// <param name="Summary">The store's summary row.</param>
/// <param name="Result">Every recorded configuration and result, as HpBandSter's <c>Result</c>.</param>
/// <param name="Pending">Jobs asked and not yet recorded (in flight when the run was last written).</param>
public sealed record StoredRunResult(RunSpec Spec, RunState State, RunSummary Summary, OptimizationResult Result, int Pending);
