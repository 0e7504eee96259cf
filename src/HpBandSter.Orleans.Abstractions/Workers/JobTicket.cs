using System.Collections.Immutable;
using HpBandSter.Orleans.Runs;
using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>One evaluation handed to a worker: which run, which job and attempt, the configuration and how to evaluate it.</summary>
/// <param name="RunId">The run the result goes back to.</param>
/// <param name="Key">The job.</param>
/// <param name="Attempt">1 for the first dispatch, higher after the job's silo died; a report names the attempt it belongs to.</param>
/// <param name="Objective">The registered objective to evaluate with.</param>
/// <param name="Config">The configuration.</param>
/// <param name="SleepSeconds">The run's artificial delay before the evaluation.</param>
/// <param name="Timeout">The run's per-job timeout, or null.</param>
/// <param name="Seed">The run's seed (objectives may derive reproducible randomness from it and the job).</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.JobTicket")]
public sealed record JobTicket(
    [property: Id(0)] string RunId,
    [property: Id(1)] WireJobKey Key,
    [property: Id(2)] int Attempt,
    [property: Id(3)] string Objective,
    [property: Id(4)] ImmutableArray<ConfigEntry> Config,
    [property: Id(5)] double SleepSeconds,
    [property: Id(6)] TimeSpan? Timeout,
    [property: Id(7)] long Seed);
