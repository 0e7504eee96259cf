using System.Collections.Immutable;
using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>Configurations and results recorded from a position on, for following a run or reading it whole.</summary>
/// <param name="Configs">Configurations from <see cref="ResultsCursor.Configs"/> on.</param>
/// <param name="Runs">Results from <see cref="ResultsCursor.Runs"/> on, in the order they were recorded.</param>
/// <param name="Next">Where the next page starts.</param>
/// <param name="Status">The run's status when the page was read.</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.ResultsPage")]
public sealed record ResultsPage(
    [property: Id(0)] ImmutableArray<ConfigData> Configs,
    [property: Id(1)] ImmutableArray<RunData> Runs,
    [property: Id(2)] ResultsCursor Next,
    [property: Id(3)] RunStatus Status);
