namespace HpBandSter.Sampling.Kde;

/// <summary>BOHB's proposal for a categorical column: keep the datum's level, or jump to a uniform one.</summary>
public static class CategoricalProposal
{
    /// <summary>
    /// With probability <c>1 − bandwidth</c> returns <paramref name="level"/>, otherwise a uniform level in
    /// [0, <paramref name="levels"/>) (which may again be <paramref name="level"/>). One uniform draw, plus one
    /// integer draw when jumping — the order BOHB draws in.
    /// </summary>
    /// <param name="level">The datum's level.</param>
    /// <param name="bandwidth">The column's (clipped) bandwidth; BOHB applies no bandwidth factor here.</param>
    /// <param name="levels">The hyperparameter's number of choices (≥ 1).</param>
    /// <param name="rng">The random source.</param>
    public static int Sample(int level, double bandwidth, int levels, RandomSource rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        return rng.NextDouble() < 1.0 - bandwidth ? level : rng.Next(levels);
    }
}
