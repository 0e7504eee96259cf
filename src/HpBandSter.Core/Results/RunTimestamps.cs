namespace HpBandSter.Results;

/// <summary>
/// When a job was submitted, handed to a worker, and finished, in seconds (HpBandSter's
/// <c>time_stamps</c> dict). All three come from the master's clock.
/// </summary>
/// <remarks>
/// Inside an <see cref="OptimizationResult"/> they are relative to the run start (<see cref="ResultSettings.TimeRef"/>
/// subtracted); in HpBandSter's log files they are absolute Unix epoch seconds.
/// </remarks>
/// <param name="Submitted">When the job entered the dispatcher's queue.</param>
/// <param name="Started">When the job was handed to a worker (not when its computation began).</param>
/// <param name="Finished">When the result was registered.</param>
public readonly record struct RunTimestamps(double Submitted, double Started, double Finished)
{
    /// <summary>The same timestamps moved by <paramref name="seconds"/>.</summary>
    public RunTimestamps Shift(double seconds) => new(Submitted + seconds, Started + seconds, Finished + seconds);
}
