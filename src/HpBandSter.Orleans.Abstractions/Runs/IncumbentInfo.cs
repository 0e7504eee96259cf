using System.Collections.Immutable;
using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>The best configuration so far: lowest loss on the largest budget any configuration finished on (HpBandSter's incumbent).</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.IncumbentInfo")]
public sealed record IncumbentInfo(
    [property: Id(0)] WireJobKey Key,
    [property: Id(1)] ImmutableArray<ConfigEntry> Config,
    [property: Id(2)] double Loss);
