using HpBandSter.Results;

namespace HpBandSter.Tests.Results;

public sealed class SpearmanTests
{
    [Fact]
    public void TiesGetAverageRanks() =>
        Assert.Equal([1.0, 2.0, 3.5, 5.0, 3.5], Spearman.AverageRanks([5, 6, 7, 8, 7]));

    [Fact]
    public void MatchesScipysDocumentedExample()
    {
        var (rho, p) = Spearman.Correlate([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
        Assert.Equal(0.8207826816681233, rho, 14);
        Assert.Equal(0.08858700531354381, p, 12);
    }

    [Fact]
    public void SevenPairsWithoutTies()
    {
        // Rank differences d = (0, -1, 0, 1, -2, 1, 1), so rho = 1 - 6*8/(7*48); p from numerical integration of the t density (dof 5).
        var (rho, p) = Spearman.Correlate([0.3, 0.1, 0.5, 0.9, 0.7, 0.2, 0.8], [0.35, 0.2, 0.4, 0.6, 0.9, 0.1, 0.5]);
        Assert.Equal(0.8571428571428571, rho, 14);
        Assert.Equal(0.013697326615337624, p, 9);
    }

    [Fact]
    public void ThreePairsWithRhoOneHalfHaveP_TwoThirds()
    {
        // dof = 1 is the Cauchy distribution: p = 1 - (2/pi) atan(t) with t = 1/sqrt(3), i.e. 2/3.
        var (rho, p) = Spearman.Correlate([0.134765625, 0.4541015625, 0.3017578125], [0.1025390625, 0.1533203125, 0.03125]);
        Assert.Equal(0.5, rho, 15);
        Assert.Equal(2.0 / 3.0, p, 12);
    }

    [Fact]
    public void DegenerateCases()
    {
        var (rho1, p1) = Spearman.Correlate([1], [2]);
        Assert.True(double.IsNaN(rho1) && double.IsNaN(p1));

        var (rho2, p2) = Spearman.Correlate([1, 2], [3, 4]);
        Assert.Equal(1.0, rho2);
        Assert.True(double.IsNaN(p2));

        var (rho3, p3) = Spearman.Correlate([1, 2, 3, 4], [4, 3, 2, 1]);
        Assert.Equal(-1.0, rho3);
        Assert.Equal(0.0, p3);

        var (rho4, p4) = Spearman.Correlate([1, 2, 3], [7, 7, 7]);
        Assert.True(double.IsNaN(rho4) && double.IsNaN(p4));
    }
}
