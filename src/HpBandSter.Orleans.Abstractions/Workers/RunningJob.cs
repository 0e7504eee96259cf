using HpBandSter.Orleans.Runs;
using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>An evaluation a silo is running for a run (see <see cref="IWorkerGrain.GetRunningJobsAsync"/>).</summary>
/// <param name="Key">The job.</param>
/// <param name="Attempt">The attempt it runs (see <see cref="JobTicket.Attempt"/>).</param>
/// <param name="RunningSeconds">How long it has been running on the silo.</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.RunningJob")]
public sealed record RunningJob(
    [property: Id(0)] WireJobKey Key,
    [property: Id(1)] int Attempt,
    [property: Id(2)] double RunningSeconds);
