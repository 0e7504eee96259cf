using System.Diagnostics;
using HpBandSter.Spaces;
using MathNet.Numerics;
using static HpBandSter.Tests.Spaces.TestSpaces;

namespace HpBandSter.Tests.Spaces;

/// <summary>Statistical checks of the prior sampler, with fixed seeds (so they are deterministic) and p ≈ 0.001 thresholds.</summary>
public sealed class SamplingTests
{
    private const int N = 20_000;

    private static double[] Draw(ConfigurationSpace space, string name, ulong seed, int n = N)
    {
        var rng = new RandomSource(seed);
        return Enumerable.Range(0, n).Select(_ => space.Sample(rng).GetDouble(name)).ToArray();
    }

    /// <summary>Kolmogorov–Smirnov distance between a sample (of values in [0,1]) and U(0,1).</summary>
    private static double KsToUniform(IEnumerable<double> unit)
    {
        var sorted = unit.Order().ToArray();
        var d = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            d = Math.Max(d, Math.Max(((i + 1.0) / sorted.Length) - sorted[i], sorted[i] - ((double)i / sorted.Length)));
        }

        return d;
    }

    private static double ChiSquare(IReadOnlyList<long> counts, IReadOnlyList<double> probabilities)
    {
        var n = counts.Sum();
        return counts.Select((c, i) => Math.Pow(c - (n * probabilities[i]), 2) / (n * probabilities[i])).Sum();
    }

    [Fact]
    public void CategoricalWeightsAreRespected()
    {
        var space = new SearchSpaceBuilder().Categorical("opt", ["adam", "sgd", "rmsprop"], weights: [5, 3, 2]).Build();
        var rng = new RandomSource(11);

        var draws = Enumerable.Range(0, N).Select(_ => (string)space.Sample(rng)["opt"]).ToArray();
        long[] counts = [draws.Count(d => d == "adam"), draws.Count(d => d == "sgd"), draws.Count(d => d == "rmsprop")];

        Assert.True(ChiSquare(counts, [0.5, 0.3, 0.2]) < 13.82, $"counts {string.Join(", ", counts)}"); // chi2(2) at p = 0.001
        Assert.False(ChiSquare(counts, [1 / 3.0, 1 / 3.0, 1 / 3.0]) < 13.82); // and the test can fail
    }

    [Fact]
    public void LogUniformFloatIsUniformInTheLogarithm()
    {
        var space = new SearchSpaceBuilder().Float("lr", 1e-6, 1e-1, log: true).Build();

        var draws = Draw(space, "lr", 5);
        var unit = draws.Select(x => (Math.Log(x) - Math.Log(1e-6)) / (Math.Log(1e-1) - Math.Log(1e-6))).ToArray();

        Assert.All(draws, x => Assert.InRange(x, 1e-6, 1e-1));
        Assert.True(KsToUniform(unit) < 1.95 / Math.Sqrt(N), $"KS {KsToUniform(unit)}"); // p = 0.001
        Assert.True(KsToUniform(draws.Select(x => (x - 1e-6) / (1e-1 - 1e-6))) > 0.5); // far from linear-uniform
        for (var decade = -6; decade < -1; decade++)
        {
            var share = draws.Count(x => x >= Math.Pow(10, decade) && x < Math.Pow(10, decade + 1)) / (double)N;
            Assert.InRange(share, 0.18, 0.22);
        }
    }

    [Fact]
    public void UniformFloatIsUniform()
    {
        var space = new SearchSpaceBuilder().Float("x", -2.0, 3.0).Build();

        var draws = Draw(space, "x", 6);

        Assert.True(KsToUniform(draws.Select(x => (x + 2.0) / 5.0)) < 1.95 / Math.Sqrt(N));
    }

    [Fact]
    public void QuantisedFloatHitsTheGridWithConfigSpaceWeights()
    {
        var space = new SearchSpaceBuilder().Float("dropout", 0.0, 0.9, q: 0.1).Build();

        var draws = Draw(space, "dropout", 7);
        var counts = Enumerable.Range(0, 10).Select(k => (long)draws.Count(x => Math.Abs(x - (k * 0.1)) < 1e-12)).ToArray();

        Assert.Equal(N, counts.Sum());
        // The internal range is [-0.0499, 0.9499]: the end values own 0.0999 of it, the others 0.1.
        var p = Enumerable.Range(0, 10).Select(k => (k is 0 or 9 ? 0.0999 : 0.1) / 0.9998).ToArray();
        Assert.True(ChiSquare(counts, p) < 27.88, $"counts {string.Join(", ", counts)}"); // chi2(9), p = 0.001
    }

    [Fact]
    public void UniformIntegerIsUniform()
    {
        var space = new SearchSpaceBuilder().Integer("layers", 1, 3).Build();

        var draws = Draw(space, "layers", 8);
        var counts = Enumerable.Range(1, 3).Select(k => (long)draws.Count(x => x == k)).ToArray();

        Assert.Equal(N, counts.Sum());
        Assert.True(ChiSquare(counts, [1 / 3.0, 1 / 3.0, 1 / 3.0]) < 13.82, $"counts {string.Join(", ", counts)}");
    }

    [Fact]
    public void LogIntegerFollowsTheLogOfTheInnerFloat()
    {
        var space = new SearchSpaceBuilder().Integer("filters", 4, 64, log: true).Build();
        var lo = Math.Log(4 - 0.49999);
        var hi = Math.Log(64 + 0.49999);

        var draws = Draw(space, "filters", 9);
        var counts = Enumerable.Range(4, 61).Select(k => (long)draws.Count(x => x == k)).ToArray();
        var p = Enumerable.Range(4, 61).Select(k => (Math.Log(Math.Min(k + 0.5, 64.49999)) - Math.Log(Math.Max(k - 0.5, 3.50001))) / (hi - lo)).ToArray();

        Assert.Equal(N, counts.Sum());
        Assert.Equal(1.0, p.Sum(), 12);
        Assert.True(ChiSquare(counts, p) < 99.61, $"chi2 {ChiSquare(counts, p)}"); // chi2(60), p = 0.001
    }

    [Fact]
    public void NormalFloatHasItsMeanAndSpread()
    {
        var space = new SearchSpaceBuilder().NormalFloat("w", -4.0, 1.5).Build();

        var draws = Draw(space, "w", 10);
        var mean = draws.Average();
        var sd = Math.Sqrt(draws.Select(x => (x - mean) * (x - mean)).Sum() / (N - 1));

        Assert.InRange(mean, -4.0 - (3.3 * 1.5 / Math.Sqrt(N)), -4.0 + (3.3 * 1.5 / Math.Sqrt(N)));
        Assert.InRange(sd, 1.5 * 0.97, 1.5 * 1.03);
    }

    [Theory]
    [InlineData(15.0, 2.0, 10.0, 20.0)]
    [InlineData(0.0, 1.0, 1.0, 3.0)]
    [InlineData(0.0, 1.0, 10.0, 11.0)] // ten standard deviations out: must neither hang nor leave the bounds
    [InlineData(0.0, 1.0, -45.0, -44.0)]
    public void BoundedNormalFloatIsTheTruncatedNormal(double mu, double sigma, double lower, double upper)
    {
        var space = new SearchSpaceBuilder().NormalFloat("d", mu, sigma, lower, upper).Build();
        var a = (lower - mu) / sigma;
        var b = (upper - mu) / sigma;

        var draws = Draw(space, "d", 12, 10_000);

        Assert.All(draws, x => Assert.InRange(x, lower, upper));
        // Mean of the truncated normal; deep in a tail use the exponential approximation a + 1/a.
        var expected = Math.Abs(a) > 30
            ? (a > 0 ? lower + (sigma * sigma / (lower - mu)) : upper - (sigma * sigma / (mu - upper)))
            : mu + (sigma * (Pdf(a) - Pdf(b)) / (a > 0 ? Cdf(-a) - Cdf(-b) : Cdf(b) - Cdf(a)));
        Assert.InRange(draws.Average(), expected - (0.05 * sigma), expected + (0.05 * sigma));
    }

    [Fact]
    public void BoundedNormalIntegerStaysInBounds()
    {
        var space = new SearchSpaceBuilder().NormalInteger("k", 5, 2, lower: 0, upper: 10).Build();

        var draws = Draw(space, "k", 13);

        Assert.All(draws, x => Assert.InRange(x, 0, 10));
        Assert.InRange(draws.Average(), 4.9, 5.1);
        Assert.True(draws.Count(x => x == 5) > draws.Count(x => x == 8));
    }

    [Fact]
    public void OrdinalIsUniform()
    {
        var space = new SearchSpaceBuilder().Ordinal("size", "s", "m", "l", "xl").Build();
        var rng = new RandomSource(14);

        var draws = Enumerable.Range(0, N).Select(_ => (string)space.Sample(rng)["size"]).ToArray();
        var counts = new[] { "s", "m", "l", "xl" }.Select(v => (long)draws.Count(d => d == v)).ToArray();

        Assert.True(ChiSquare(counts, [0.25, 0.25, 0.25, 0.25]) < 16.27); // chi2(3), p = 0.001
    }

    [Fact]
    public void ConditionsAreRespected()
    {
        var space = Mnist();
        var rng = new RandomSource(15);

        var samples = Enumerable.Range(0, 5000).Select(_ => space.Sample(rng)).ToArray();

        foreach (var c in samples)
        {
            Assert.Equal((string)c["optimizer"] == "SGD", c.ContainsKey("sgd_momentum"));
            Assert.Equal(c.GetInt64("num_conv_layers") > 1, c.ContainsKey("num_filters_2"));
            Assert.Equal(c.GetInt64("num_conv_layers") > 2, c.ContainsKey("num_filters_3"));
            space.Validate(c);
        }

        Assert.InRange(samples.Count(c => c.ContainsKey("num_filters_3")), 1500, 1833);
    }

    [Fact]
    public void ForbiddenConfigurationsAreNeverSampled()
    {
        var space = ConfigSpace0421FixtureTests.FixtureSpace();
        var rng = new RandomSource(16);

        var samples = Enumerable.Range(0, 5000).Select(_ => space.Sample(rng)).ToArray();

        Assert.DoesNotContain(samples, c => (string)c["size"] == "large");
        Assert.DoesNotContain(samples, c => (string)c["optimizer"] == "rmsprop" && c.GetInt64("num_layers") == 3);
        Assert.Contains(samples, c => (string)c["optimizer"] == "rmsprop");
        Assert.All(samples, space.Validate);
    }

    [Fact]
    public void EverythingSpaceSamplesValidConfigurations()
    {
        var space = Everything();
        var rng = new RandomSource(18);

        var samples = Enumerable.Range(0, 2000).Select(_ => space.Sample(rng)).ToArray();

        Assert.All(samples, space.Validate);
        Assert.Contains(samples, c => c.ContainsKey("c_or"));
        Assert.Contains(samples, c => c.ContainsKey("c_and"));
    }

    [Fact]
    public void ImpossibleSpaceFailsQuicklyWithAClearError()
    {
        // The default (x = 0) is allowed, so the space builds, but a uniform draw is almost surely > 0.
        var space = new SearchSpaceBuilder().Float("x", 0, 1, defaultValue: 0).Forbid(ForbiddenClause.GreaterThan("x", 0.0)).Build();
        var watch = Stopwatch.StartNew();

        var error = Assert.Throws<InvalidOperationException>(() => space.Sample(new RandomSource(1)));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Contains("10000 draws in a row", error.Message);
        Assert.Contains("Forbidden: x > 0.0", error.Message);
    }

    [Fact]
    public void SamplingIsReproducibleFromTheSeed()
    {
        var space = Everything();
        var a = new RandomSource(99);
        var b = new RandomSource(99);

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(space.Sample(a), space.Sample(b));
        }
    }

    private static double Pdf(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);

    private static double Cdf(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2));
}
