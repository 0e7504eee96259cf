namespace HpBandSter.Scheduling;

/// <summary>How many configurations the first stage of a HyperBand bracket gets.</summary>
/// <remarks>
/// With <c>m</c> = <see cref="HyperbandSchedule.MaxShIterations"/> and a bracket of <c>s + 1</c> stages:
/// <see cref="Floor"/> is HpBandSter's <c>int(floor(m / (s + 1)) * eta**s)</c>; <see cref="Ceil"/> is Algorithm 1 of
/// the HyperBand paper (Li et al.), <c>ceil(m * eta**s / (s + 1))</c>. Later stages keep
/// <c>max(int(n0 * eta**-i), 1)</c> configurations in both cases.
/// </remarks>
public enum BracketSizing
{
    /// <summary>HpBandSter's sizing (the default): for min 0.01, max 1, eta 3 the brackets start with 81, 27, 9, 6, 5.</summary>
    Floor,

    /// <summary>The HyperBand paper's sizing: for min 0.01, max 1, eta 3 the brackets start with 81, 34, 15, 8, 5.</summary>
    Ceil,
}
