using System.Runtime.Intrinsics;
using HpBandSter.Sampling.Kde;

namespace HpBandSter.Tests.Kde;

public sealed class VectorExpTests
{
    [Fact]
    public void Matches_Math_Exp_to_a_few_ulps_over_the_whole_range()
    {
        var rng = new RandomSource(3UL);
        var worst = 0.0;
        for (var i = 0; i < 20000; i++)
        {
            var x = i < 10000 ? VectorExp.Lower + ((VectorExp.Upper - VectorExp.Lower) * rng.NextDouble()) : -40 * rng.NextDouble();
            var expected = Math.Exp(x);
            var wide = VectorExp.Exp(Vector512.Create(x)).GetElement(3);
            var narrow = VectorExp.Exp(Vector256.Create(x)).GetElement(1);
            worst = Math.Max(worst, Math.Max(Math.Abs(wide - expected), Math.Abs(narrow - expected)) / expected);
        }

        Assert.True(worst < 2e-15, $"worst relative error {worst:E2}");
    }

    [Fact]
    public void Special_values()
    {
        var x = Vector512.Create(0.0, double.NaN, double.NegativeInfinity, double.PositiveInfinity, -708.5, 709.5, -1.0, 1.0);
        var y = VectorExp.Exp(x);
        Assert.Equal(1.0, y[0]);
        Assert.True(double.IsNaN(y[1]));
        Assert.Equal(0.0, y[2]);
        Assert.Equal(double.PositiveInfinity, y[3]);
        Assert.Equal(0.0, y[4]);
        Assert.Equal(double.PositiveInfinity, y[5]);
        Assert.Equal(Math.Exp(-1.0), y[6], 1e-16);
        Assert.Equal(Math.E, y[7], 1e-15);

        var narrow = VectorExp.Exp(Vector256.Create(double.NaN, double.NegativeInfinity, -1000.0, 0.0));
        Assert.True(double.IsNaN(narrow[0]));
        Assert.Equal(0.0, narrow[1]);
        Assert.Equal(0.0, narrow[2]);
        Assert.Equal(1.0, narrow[3]);
    }
}
