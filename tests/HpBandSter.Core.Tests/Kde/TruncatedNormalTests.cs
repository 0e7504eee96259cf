using HpBandSter.Sampling.Kde;
using MathNet.Numerics;

namespace HpBandSter.Tests.Kde;

public sealed class TruncatedNormalTests
{
    private const int Draws = 5000;

    // Kolmogorov–Smirnov critical value at α = 0.1 %: 1.95/√n.
    private static readonly double KsBound = 1.95 / Math.Sqrt(Draws);

    [Theory]
    [InlineData(0.5, 0.3, 0.0, 1.0, 1UL, 0.15)]
    [InlineData(0.9, 0.6, 0.0, 1.0, 2UL, 0.3)]
    [InlineData(0.02, 0.05, 0.0, 1.0, 3UL, 0.15)]
    [InlineData(0.3, 3.0, 0.0, 1.0, 4UL, 1.0)] // nearly uniform: only a large shift is detectable
    [InlineData(0.0, 0.1, 1.0, 1.2, 5UL, 2.0)] // both bounds 10–12 sd above the mean: the inverse-CDF tail branch
    [InlineData(2.0, 0.25, 0.0, 1.0, 6UL, 1.0)] // both bounds below the mean (4–8 sd)
    public void Draws_follow_the_truncated_normal_cdf(double mean, double sd, double lower, double upper, ulong seed, double detectableShift)
    {
        var rng = new RandomSource(seed);
        var samples = Enumerable.Range(0, Draws).Select(_ => TruncatedNormal.Sample(mean, sd, lower, upper, rng)).ToArray();
        Assert.All(samples, s => Assert.InRange(s, lower, upper));

        var d = KsStatistic(samples, x => TruncatedCdf(x, mean, sd, lower, upper));
        Assert.True(d < KsBound, $"KS statistic {d:F4} ≥ {KsBound:F4}");

        // The same test rejects a slightly wrong distribution, so it has power.
        var wrong = KsStatistic(samples, x => TruncatedCdf(x, mean + (detectableShift * sd), sd, lower, upper));
        Assert.True(wrong > KsBound, $"KS statistic against a shifted mean {wrong:F4} should exceed {KsBound:F4}");
    }

    [Fact]
    public void Mean_at_the_boundary_with_a_tiny_bandwidth_is_a_half_normal()
    {
        const double bw = 1e-3;
        var rng = new RandomSource(11UL);
        var samples = Enumerable.Range(0, Draws).Select(_ => TruncatedNormal.Sample(0.0, bw, 0.0, 1.0, rng)).ToArray();
        Assert.All(samples, s => Assert.InRange(s, 0.0, 1.0));

        var expectedMean = bw * Math.Sqrt(2 / Math.PI);
        var standardError = bw * Math.Sqrt(1 - (2 / Math.PI)) / Math.Sqrt(Draws);
        Assert.InRange(samples.Average(), expectedMean - (4 * standardError), expectedMean + (4 * standardError));

        var d = KsStatistic(samples, x => SpecialFunctions.Erf(x / bw / Math.Sqrt(2)));
        Assert.True(d < KsBound, $"KS statistic {d:F4} ≥ {KsBound:F4}");
    }

    [Fact]
    public void Interval_forty_sd_out_in_the_tail_uses_the_exact_far_tail_sampler()
    {
        // A ConfigSpace 0.4.21 normal float is not normalised: its vector value can be 5 while BOHB truncates to [0, 1].
        const double mean = 5.0, sd = 0.1;
        var rng = new RandomSource(12UL);
        var samples = Enumerable.Range(0, Draws).Select(_ => TruncatedNormal.Sample(mean, sd, 0.0, 1.0, rng)).ToArray();
        Assert.All(samples, s => Assert.InRange(s, 0.0, 1.0));

        // z = (mean − x)/sd is a standard normal truncated to [40, 50]; P(z ≤ t) = 1 − Q(t)/Q(40), with the asymptotic
        // log Q(t) = −t²/2 − ln t − ln√(2π) + ln(1 − 1/t² + 3/t⁴ − 15/t⁶) (relative error < 1e-9 here).
        static double LogQ(double t) => (-0.5 * t * t) - Math.Log(t) - (0.5 * Math.Log(2 * Math.PI))
            + Math.Log(1 - (1 / (t * t)) + (3 / Math.Pow(t, 4)) - (15 / Math.Pow(t, 6)));
        var d = KsStatistic(samples, x => Math.Exp(LogQ((mean - x) / sd) - LogQ(40.0)));
        Assert.True(d < KsBound, $"KS statistic {d:F4} ≥ {KsBound:F4}");

        // E[z] = φ(40)/Q(40) = 40.02496...; so E[x] = 5 − 0.1·E[z].
        var meanZ = Math.Exp((-0.5 * 1600) - (0.5 * Math.Log(2 * Math.PI)) - LogQ(40.0));
        var expected = mean - (sd * meanZ);
        var standardError = sd * (1 / 40.0) / Math.Sqrt(Draws);
        Assert.InRange(samples.Average(), expected - (4 * standardError), expected + (4 * standardError));
    }

    [Fact]
    public void Narrow_far_tail_interval_stays_inside_and_is_close_to_uniform()
    {
        var rng = new RandomSource(13UL);
        var samples = Enumerable.Range(0, 2000).Select(_ => TruncatedNormal.Sample(0.0, 1.0, 60.0, 60.001, rng)).ToArray();
        Assert.All(samples, s => Assert.InRange(s, 60.0, 60.001));

        // Density ∝ exp(−z²/2) falls by a factor e^(−0.06) across the interval: nearly uniform, mean just below the middle.
        Assert.InRange(samples.Average(), 60.0004, 60.0005);
    }

    [Fact]
    public void Degenerate_and_invalid_parameters()
    {
        var rng = new RandomSource(1UL);
        Assert.Equal(0.4, TruncatedNormal.Sample(0.4, 0.0, 0.0, 1.0, rng));
        Assert.Equal(1.0, TruncatedNormal.Sample(1.7, 0.0, 0.0, 1.0, rng));
        Assert.Equal(0.25, TruncatedNormal.Sample(0.4, 0.1, 0.25, 0.25, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => TruncatedNormal.Sample(0.4, -0.1, 0.0, 1.0, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => TruncatedNormal.Sample(0.4, double.NaN, 0.0, 1.0, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => TruncatedNormal.Sample(0.4, 0.1, 1.0, 0.0, rng));
        Assert.Throws<ArgumentOutOfRangeException>(() => TruncatedNormal.Sample(double.NaN, 0.1, 0.0, 1.0, rng));
    }

    [Fact]
    public void Unbounded_sides_are_allowed()
    {
        var rng = new RandomSource(14UL);
        var samples = Enumerable.Range(0, Draws).Select(_ => TruncatedNormal.Sample(0.0, 1.0, double.NegativeInfinity, double.PositiveInfinity, rng)).ToArray();
        var d = KsStatistic(samples, x => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2)));
        Assert.True(d < KsBound, $"KS statistic {d:F4} ≥ {KsBound:F4}");
        Assert.All(Enumerable.Range(0, 200).Select(_ => TruncatedNormal.Sample(0.0, 1.0, 3.0, double.PositiveInfinity, rng)), s => Assert.True(s >= 3.0));
    }

    [Fact]
    public void Same_seed_gives_the_same_draws()
    {
        var a = new RandomSource(99UL);
        var b = new RandomSource(99UL);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TruncatedNormal.Sample(0.3, 0.2, 0.0, 1.0, a), TruncatedNormal.Sample(0.3, 0.2, 0.0, 1.0, b));
        }
    }

    /// <summary>sup |F_n(x) − F(x)| over the sample.</summary>
    internal static double KsStatistic(double[] samples, Func<double, double> cdf)
    {
        var sorted = samples.Order().ToArray();
        var d = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(((i + 1.0) / sorted.Length) - f, f - ((double)i / sorted.Length)));
        }

        return d;
    }

    private static double TruncatedCdf(double x, double mean, double sd, double lower, double upper)
    {
        // Upper-tail form Q(z) = erfc(z/√2)/2 keeps precision when the interval lies far above the mean.
        static double Q(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));
        var qa = Q((lower - mean) / sd);
        var qb = Q((upper - mean) / sd);
        return Math.Clamp((qa - Q((x - mean) / sd)) / (qa - qb), 0.0, 1.0);
    }
}
