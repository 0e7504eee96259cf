using System.Collections.Immutable;
using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>
/// A worker's call to a run: here are results of your jobs (acknowledged by a successful reply) and this many
/// free slots you may fill now.
/// </summary>
/// <param name="Worker">The worker's key (its silo's address).</param>
/// <param name="Reports">Results to record; the run records each job once however often it arrives.</param>
/// <param name="OfferedSlots">Slots reserved for this run until the reply arrives.</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.ExchangeRequest")]
public sealed record ExchangeRequest(
    [property: Id(0)] string Worker,
    [property: Id(1)] ImmutableArray<JobReport> Reports,
    [property: Id(2)] int OfferedSlots);
