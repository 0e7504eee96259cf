namespace HpBandSter.Sampling;

/// <summary>
/// The model settings of BOHB's config generator, with HpBandSter's names and defaults.
/// </summary>
/// <param name="MinPointsInModel">Observations on a budget before a model is fitted there; null means d + 1 with d the
/// number of non-constant hyperparameters. Values below d + 1 are raised to d + 1, as HpBandSter does.</param>
/// <param name="TopNPercent">Percentage of observations (by loss) that form the "good" density, 1 to 99 (default 15).</param>
/// <param name="NumSamples">Candidates drawn from the good density per model-based proposal (default 64).</param>
/// <param name="RandomFraction">Fraction of proposals drawn from the prior regardless of the model, 0 to 1 (default 1/3).</param>
/// <param name="BandwidthFactor">Widening of the good density's bandwidth for continuous proposals (default 3).</param>
/// <param name="MinBandwidth">Lower bound on every bandwidth, keeping diversity (default 1e-3).</param>
public sealed record BohbSettings(
    int? MinPointsInModel = null,
    double TopNPercent = 15,
    int NumSamples = 64,
    double RandomFraction = 1.0 / 3.0,
    double BandwidthFactor = 3,
    double MinBandwidth = 1e-3)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public void Validate()
    {
        if (MinPointsInModel is < 1)
        {
            throw new ArgumentException($"min_points_in_model must be at least 1 (got {MinPointsInModel}); leave it unset for d + 1.", nameof(MinPointsInModel));
        }

        if (!(TopNPercent >= 1 && TopNPercent <= 99))
        {
            throw new ArgumentException($"top_n_percent must be between 1 and 99 (got {TopNPercent}).", nameof(TopNPercent));
        }

        if (NumSamples < 1)
        {
            throw new ArgumentException($"num_samples must be at least 1 (got {NumSamples}).", nameof(NumSamples));
        }

        if (!(RandomFraction >= 0 && RandomFraction <= 1))
        {
            throw new ArgumentException($"random_fraction must be between 0 and 1 (got {RandomFraction}).", nameof(RandomFraction));
        }

        if (!(BandwidthFactor > 0) || !double.IsFinite(BandwidthFactor))
        {
            throw new ArgumentException($"bandwidth_factor must be a positive number (got {BandwidthFactor}).", nameof(BandwidthFactor));
        }

        if (!(MinBandwidth > 0) || !double.IsFinite(MinBandwidth))
        {
            throw new ArgumentException($"min_bandwidth must be a positive number (got {MinBandwidth}).", nameof(MinBandwidth));
        }
    }
}
