using HpBandSter.Optimizers;

namespace HpBandSter.Orleans.Runs;

/// <summary>A job asked from the optimizer and not yet told, with when it was asked (seconds after the run's start).</summary>
internal readonly record struct PendingJob(Job Job, double Submitted);
