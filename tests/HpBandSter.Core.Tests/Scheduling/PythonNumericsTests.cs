using HpBandSter.Scheduling;

namespace HpBandSter.Tests.Scheduling;

public sealed class PythonNumericsTests
{
    [Theory]
    [InlineData(1.0, 0.1, 9.0)] // floor(1 / 0.1) would be 10
    [InlineData(0.3, 0.1, 2.0)]
    [InlineData(-7.5, 2.0, -4.0)]
    [InlineData(7.5, -2.0, -4.0)]
    [InlineData(108.0, 27.0, 4.0)]
    [InlineData(29.999999999999996, 10.0, 2.0)]
    [InlineData(1e-300, 1e300, 0.0)]
    public void FloorDivideMatchesPython(double a, double b, double expected)
    {
        Assert.Equal(expected, PythonNumerics.FloorDivide(a, b));
    }

    [Fact]
    public void FloorDivideKeepsPythonsSignedZero()
    {
        Assert.True(double.IsNegative(PythonNumerics.FloorDivide(0.0, -3.0)));
        Assert.True(double.IsNegative(PythonNumerics.FloorDivide(-0.0, 3.0)));
    }

    [Fact]
    public void NumpySumIsSequentialBelowEightElements()
    {
        Assert.Equal(0.7, PythonNumerics.NumpySum(Enumerable.Repeat(0.1, 7).ToArray()));
    }

    [Theory]
    [InlineData(10, 1.0)] // a Python loop gives 0.9999999999999999
    [InlineData(300, 29.999999999999996)] // a Python loop gives 30.000000000000156
    public void NumpySumUsesEightPartialSumsAndHalving(int count, double expected)
    {
        Assert.Equal(expected, PythonNumerics.NumpySum(Enumerable.Repeat(0.1, count).ToArray()));
    }

    [Fact]
    public void NumpySumKeepsSmallTermsAPythonLoopLoses()
    {
        double[] values = [1e16, .. Enumerable.Repeat(1.0, 15)];
        Assert.Equal(1.0000000000000014e+16, PythonNumerics.NumpySum(values));
    }
}
