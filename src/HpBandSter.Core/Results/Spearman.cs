using MathNet.Numerics;

namespace HpBandSter.Results;

/// <summary>Spearman's rank correlation with SciPy's conventions (average ranks for ties, t-test p-value).</summary>
internal static class Spearman
{
    /// <summary>ρ and its two-sided p-value for paired samples.</summary>
    public static (double Rho, double PValue) Correlate(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"The samples have different lengths ({x.Count} and {y.Count}).", nameof(y));
        }

        var n = x.Count;
        if (n < 2)
        {
            return (double.NaN, double.NaN);
        }

        var rho = Pearson(AverageRanks(x), AverageRanks(y));
        return (rho, PValue(rho, n));
    }

    /// <summary>1-based ranks; tied values share the mean of the ranks they span.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = ((start + 1) + (end + 1)) / 2.0;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    /// <summary>Two-sided p-value of ρ under H0: ρ = 0, via t = ρ·√((n−2)/((1−ρ)(1+ρ))) with n−2 degrees of freedom.</summary>
    public static double PValue(double rho, int n)
    {
        var dof = n - 2;
        if (double.IsNaN(rho) || dof <= 0)
        {
            return double.NaN;
        }

        var oneMinusRhoSquared = (1 - rho) * (1 + rho);
        if (oneMinusRhoSquared <= 0)
        {
            return 0;
        }

        var tSquared = rho * rho * dof / oneMinusRhoSquared;

        // P(|T| > t) for Student's t with dof degrees of freedom = I_{dof/(dof+t²)}(dof/2, 1/2).
        return SpecialFunctions.BetaRegularized(dof / 2.0, 0.5, dof / (dof + tSquared));
    }

    private static double Pearson(double[] a, double[] b)
    {
        var meanA = a.Average();
        var meanB = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var da = a[i] - meanA;
            var db = b[i] - meanB;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }

        if (saa == 0 || sbb == 0)
        {
            return double.NaN;
        }

        var r = sab / Math.Sqrt(saa * sbb);
        return Math.Clamp(r, -1.0, 1.0);
    }
}
