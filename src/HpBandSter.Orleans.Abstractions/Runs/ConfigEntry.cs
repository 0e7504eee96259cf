using System.Collections.Immutable;
using HpBandSter.Spaces;
using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>One hyperparameter value of a configuration on the wire (a <see cref="double"/>, <see cref="long"/>, <see cref="string"/> or <see cref="bool"/>).</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.ConfigEntry")]
public sealed record ConfigEntry([property: Id(0)] string Name, [property: Id(1)] object Value)
{
    /// <summary>A configuration's values in order.</summary>
    public static ImmutableArray<ConfigEntry> From(Configuration configuration) =>
        [.. configuration.Select(kv => new ConfigEntry(kv.Key, kv.Value))];

    /// <summary>Rebuilds the configuration.</summary>
    public static Configuration ToConfiguration(ImmutableArray<ConfigEntry> entries) =>
        new(entries.Select(e => KeyValuePair.Create(e.Name, e.Value)));
}
