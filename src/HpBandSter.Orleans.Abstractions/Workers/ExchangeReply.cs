using System.Collections.Immutable;
using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>A run's answer to <see cref="ExchangeRequest"/>: every report is acknowledged; jobs to start in the offered slots.</summary>
/// <param name="Jobs">At most as many jobs as slots were offered.</param>
/// <param name="MoreQueued">Whether the run still has jobs waiting for a slot (the worker keeps offering it slots).</param>
/// <param name="RunKnown">False when no run exists under the id: the worker drops the reports and forgets the run.</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.ExchangeReply")]
public sealed record ExchangeReply(
    [property: Id(0)] ImmutableArray<JobTicket> Jobs,
    [property: Id(1)] bool MoreQueued,
    [property: Id(2)] bool RunKnown);
