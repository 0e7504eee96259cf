using System.Collections.Immutable;
using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>A sampled configuration as the run recorded it (HpBandSter's configs.json line).</summary>
/// <param name="Iteration">Config id, first part.</param>
/// <param name="Stage">Config id, second part.</param>
/// <param name="Index">Config id, third part.</param>
/// <param name="Config">The values.</param>
/// <param name="InfoJson">The sampler's info (<c>model_based_pick</c>, ...) as JSON.</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.ConfigData")]
public sealed record ConfigData(
    [property: Id(0)] int Iteration,
    [property: Id(1)] int Stage,
    [property: Id(2)] int Index,
    [property: Id(3)] ImmutableArray<ConfigEntry> Config,
    [property: Id(4)] string InfoJson);
