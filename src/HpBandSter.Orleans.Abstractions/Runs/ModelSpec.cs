using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>BOHB's (and H2BO's) model settings with HpBandSter's names; null members take the optimizer's defaults.</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.ModelSpec")]
public sealed record ModelSpec
{
    /// <summary><c>min_points_in_model</c>; default: number of hyperparameters + 1.</summary>
    [Id(0)] public int? MinPointsInModel { get; init; }

    /// <summary><c>top_n_percent</c>; default 15.</summary>
    [Id(1)] public double? TopNPercent { get; init; }

    /// <summary><c>num_samples</c>; default 64 (H2BO: 32).</summary>
    [Id(2)] public int? NumSamples { get; init; }

    /// <summary><c>random_fraction</c>; default 1/3.</summary>
    [Id(3)] public double? RandomFraction { get; init; }

    /// <summary><c>bandwidth_factor</c>; default 3 (H2BO: 1).</summary>
    [Id(4)] public double? BandwidthFactor { get; init; }

    /// <summary><c>min_bandwidth</c>; default 1e-3.</summary>
    [Id(5)] public double? MinBandwidth { get; init; }
}
