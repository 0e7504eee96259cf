using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>One recorded evaluation (HpBandSter's results.json line), timestamps in seconds relative to the run's start.</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.RunData")]
public sealed record RunData(
    [property: Id(0)] WireJobKey Key,
    [property: Id(1)] double? Loss,
    [property: Id(2)] string? InfoJson,
    [property: Id(3)] double Submitted,
    [property: Id(4)] double Started,
    [property: Id(5)] double Finished,
    [property: Id(6)] string? Error);
