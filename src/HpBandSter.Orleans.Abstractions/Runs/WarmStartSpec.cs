using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// An earlier run's results to seed a new run's model with (HpBandSter's <c>previous_result</c>), as the text of
/// HpBandSter's logs: <c>configs.json</c> and <c>results.json</c> lines. Data only; the run keeps it with its
/// specification, so a resumed run is seeded the same way and its logs include the warm-start data (as iteration
/// -1, which HpBandSter's own logs lose: its issue #92).
/// </summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.WarmStartSpec")]
public sealed record WarmStartSpec
{
    /// <summary>Where the data came from (a log folder or a run id), for people reading the run's status.</summary>
    [Id(0)] public required string Source { get; init; }

    /// <summary>The <c>configs.json</c> lines.</summary>
    [Id(1)] public required string ConfigsJson { get; init; }

    /// <summary>The <c>results.json</c> lines.</summary>
    [Id(2)] public required string ResultsJson { get; init; }
}
