namespace HpBandSter.Client.Tests;

public sealed class PythonFloatTests
{
    [Theory]
    [InlineData(9.0, "9.0")]
    [InlineData(3645.0, "3645.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(0.012345679012345678, "0.012345679012345678")]
    [InlineData(1.1111111111111112, "1.1111111111111112")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.2345678901234568e17, "1.2345678901234568e+17")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void FormatsAsPythonRepr(double value, string expected)
    {
        Assert.Equal(expected, PythonFloat.Format(value));
    }
}
