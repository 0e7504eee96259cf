namespace HpBandSter.Benchmarks;

/// <summary>Summary of a sample of regrets: mean, standard error, median and quartiles.</summary>
/// <param name="Count">Sample size (NaN values are not counted).</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="StandardError">Sample standard deviation (n − 1) over √n; 0 for one value.</param>
/// <param name="Median">The 50 % quantile.</param>
/// <param name="Q1">The 25 % quantile.</param>
/// <param name="Q3">The 75 % quantile.</param>
internal sealed record QualitySummary(int Count, double Mean, double StandardError, double Median, double Q1, double Q3);

/// <summary>Paired comparison of two optimizers on the same seeds: A wins where its regret is lower.</summary>
/// <param name="Wins">Seeds where A's regret is lower.</param>
/// <param name="Ties">Seeds where both are equal (within <see cref="QualityStatistics.TieTolerance"/>).</param>
/// <param name="Losses">Seeds where B's regret is lower.</param>
/// <param name="SignTestP">Two-sided exact sign test on wins against losses (ties dropped); 1 without any.</param>
internal sealed record PairedOutcome(int Wins, int Ties, int Losses, double SignTestP);

/// <summary>The statistics of the quality benchmark, free of I/O so that <c>quality --self-check</c> can test them.</summary>
internal static class QualityStatistics
{
    /// <summary>Two regrets closer than this (relative to max(1, |a|, |b|)) count as a tie.</summary>
    public const double TieTolerance = 1e-9;

    /// <summary>Summarizes the finite values; a sample without any gives NaNs.</summary>
    public static QualitySummary Summarize(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        var n = sorted.Length;
        if (n == 0)
        {
            return new QualitySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var mean = sorted.Average();
        var variance = n > 1 ? sorted.Sum(v => (v - mean) * (v - mean)) / (n - 1) : 0.0;
        return new QualitySummary(n, mean, Math.Sqrt(variance / n), Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75));
    }

    /// <summary>The <paramref name="p"/>-quantile of sorted values, linearly interpolated (R's type 7, numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    /// <summary>Compares A and B seed by seed (the lists are aligned by seed); pairs with a NaN are skipped.</summary>
    public static PairedOutcome Compare(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"Paired samples differ in length ({a.Count} and {b.Count}).", nameof(b));
        }

        int wins = 0, ties = 0, losses = 0;
        for (var i = 0; i < a.Count; i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i]))
            {
                continue;
            }

            if (Math.Abs(a[i] - b[i]) <= TieTolerance * Math.Max(1.0, Math.Max(Math.Abs(a[i]), Math.Abs(b[i]))))
            {
                ties++;
            }
            else if (a[i] < b[i])
            {
                wins++;
            }
            else
            {
                losses++;
            }
        }

        return new PairedOutcome(wins, ties, losses, SignTest(wins, losses));
    }

    /// <summary>Two-sided exact sign test: 2 P(X ≤ min(w, l)) for X ~ Binomial(w + l, 1/2), capped at 1.</summary>
    public static double SignTest(int wins, int losses)
    {
        var n = wins + losses;
        if (n == 0)
        {
            return 1.0;
        }

        var k = Math.Min(wins, losses);
        var tail = 0.0;
        for (var i = 0; i <= k; i++)
        {
            tail += Math.Exp(LogChoose(n, i) - (n * Math.Log(2)));
        }

        return Math.Min(1.0, 2 * tail);
    }

    private static double LogChoose(int n, int k)
    {
        var sum = 0.0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }

        return sum;
    }
}
