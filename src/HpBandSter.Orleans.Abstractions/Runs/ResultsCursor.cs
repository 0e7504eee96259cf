using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>A position in a run's record: how many configurations and results the reader has.</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.ResultsCursor")]
public readonly record struct ResultsCursor([property: Id(0)] int Configs, [property: Id(1)] int Runs);
