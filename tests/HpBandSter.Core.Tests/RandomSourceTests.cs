namespace HpBandSter.Tests;

public sealed class RandomSourceTests
{
    [Fact]
    public void SameSeedGivesSameStream()
    {
        var a = new RandomSource(42L);
        var b = new RandomSource(42L);
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void DifferentSeedsGiveDifferentStreams()
    {
        var a = new RandomSource(1L);
        var b = new RandomSource(2L);
        Assert.NotEqual(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void RestoredStateContinuesTheStream()
    {
        var a = new RandomSource(7L);
        for (var i = 0; i < 17; i++)
        {
            a.NextDouble();
        }

        var b = new RandomSource(a.GetState());
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextDouble(), b.NextDouble());
            Assert.Equal(a.Next(10), b.Next(10));
            Assert.Equal(a.NextGaussian(), b.NextGaussian());
        }
    }

    [Fact]
    public void UniformDrawsStayInRangeAndLookUniform()
    {
        var rng = new RandomSource(3L);
        var counts = new int[10];
        const int n = 100_000;
        for (var i = 0; i < n; i++)
        {
            var u = rng.NextDouble();
            Assert.InRange(u, 0.0, 1.0 - double.Epsilon);
            counts[rng.Next(10)]++;
        }

        // Chi-square with 9 degrees of freedom; 27.88 is the 0.999 quantile.
        var expected = n / 10.0;
        var chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chi2 < 27.88, $"chi2 = {chi2}");
    }

    [Fact]
    public void GaussianHasUnitMomentsWithinTolerance()
    {
        var rng = new RandomSource(11L);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            var g = rng.NextGaussian();
            sum += g;
            sumSq += g * g;
        }

        var mean = sum / n;
        var variance = (sumSq / n) - (mean * mean);
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Fact]
    public void AllZeroStateIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new RandomSource(new RandomState(0, 0, 0, 0)));
    }
}
