using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>An objective a silo offers: its name, and the search space registered with it (ConfigSpace JSON) if any.</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.ObjectiveInfo")]
public sealed record ObjectiveInfo([property: Id(0)] string Name, [property: Id(1)] string? SearchSpace);
