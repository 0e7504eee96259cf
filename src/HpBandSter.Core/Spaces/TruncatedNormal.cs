using MathNet.Numerics;

namespace HpBandSter.Spaces;

/// <summary>Draws from a normal distribution truncated to an interval, robustly even far out in the tails.</summary>
internal static class TruncatedNormal
{
    private const double AcceptanceForRejection = 0.25;
    private const int MaxRejections = 64;

    /// <summary>A draw from N(<paramref name="mean"/>, <paramref name="sd"/>²) restricted to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    public static double Sample(RandomSource rng, double mean, double sd, double lower, double upper)
    {
        var a = (lower - mean) / sd;
        var b = (upper - mean) / sd;
        var z = SampleStandard(rng, a, b);
        return Math.Clamp(mean + (sd * z), lower, upper);
    }

    /// <summary>A standard normal draw restricted to [a, b].</summary>
    internal static double SampleStandard(RandomSource rng, double a, double b)
    {
        if (a >= 0)
        {
            return UpperTail(rng, a, b);
        }

        if (b <= 0)
        {
            return -UpperTail(rng, -b, -a);
        }

        var pa = Phi(a);
        var pb = Phi(b);
        if (pb - pa > AcceptanceForRejection && TryRejection(rng, a, b, out var z))
        {
            return z;
        }

        var u = pa + (rng.NextDouble() * (pb - pa));
        return Math.Clamp(-Math.Sqrt(2.0) * SpecialFunctions.ErfcInv(2.0 * u), a, b);
    }

    /// <summary>0 ≤ a &lt; b: sample through the upper-tail probability Q(x) = P(Z &gt; x), which keeps precision far out.</summary>
    private static double UpperTail(RandomSource rng, double a, double b)
    {
        var qa = Q(a);
        var qb = Q(b);
        if (qa - qb > AcceptanceForRejection && TryRejection(rng, a, b, out var z))
        {
            return z;
        }

        if (qa < 1e-300)
        {
            // Beyond ~37 standard deviations Q underflows; the tail is then an exponential with rate a.
            var e = -Math.Log(1.0 - rng.NextDouble()) / a;
            return Math.Min(b, a + e);
        }

        var u = qb + (rng.NextDouble() * (qa - qb));
        if (u <= 0)
        {
            return a;
        }

        return Math.Clamp(Math.Sqrt(2.0) * SpecialFunctions.ErfcInv(2.0 * u), a, b);
    }

    private static bool TryRejection(RandomSource rng, double a, double b, out double z)
    {
        for (var i = 0; i < MaxRejections; i++)
        {
            z = rng.NextGaussian();
            if (z >= a && z <= b)
            {
                return true;
            }
        }

        z = 0;
        return false;
    }

    private static double Phi(double x) => 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2.0));

    private static double Q(double x) => 0.5 * SpecialFunctions.Erfc(x / Math.Sqrt(2.0));
}
