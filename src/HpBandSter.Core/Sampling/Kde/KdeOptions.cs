namespace HpBandSter.Sampling.Kde;

/// <summary>Settings of <see cref="MultivariateKde.Fit"/>.</summary>
/// <param name="MinBandwidth">
/// Lower clip applied to every column's normal-reference bandwidth, as BOHB's <c>min_bandwidth</c>. Default 1e-3.
/// Use 0 to get statsmodels' raw bandwidths.
/// </param>
/// <param name="StatsmodelsCompatibleLevels">
/// When <see langword="true"/>, the Aitchison–Aitken kernel divides by (c − 1) with c the number of DISTINCT levels
/// observed in that column of the fitted data, as statsmodels does (a column with a single observed level then gives
/// NaN or ∞ for a non-matching query, HpBandSter issue #100). When <see langword="false"/> (default), c is the
/// hyperparameter's true number of choices (<see cref="KdeColumn.Levels"/>).
/// </param>
public sealed record KdeOptions(double MinBandwidth = 1e-3, bool StatsmodelsCompatibleLevels = false)
{
    /// <summary>BOHB's defaults with the project's fixed level count.</summary>
    public static KdeOptions Default { get; } = new();
}
