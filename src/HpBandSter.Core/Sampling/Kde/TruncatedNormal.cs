using MathNet.Numerics;

namespace HpBandSter.Sampling.Kde;

/// <summary>
/// Draws from a normal distribution truncated to an interval, as scipy's
/// <c>truncnorm(a=(lower−mean)/sd, b=(upper−mean)/sd, loc=mean, scale=sd)</c> that BOHB uses for its proposals.
/// </summary>
/// <remarks>
/// When the interval contains the mean and is at least one standard deviation wide (BOHB's usual case), it draws
/// standard normals until one falls inside. Otherwise it uses inverse-CDF sampling (one uniform per draw), always
/// working from the tail nearer to the interval so that intervals far out in a tail keep full precision. Beyond 35
/// standard deviations, where tail probabilities underflow, it switches to exact rejection samplers (Robert 1995:
/// an exponential proposal for wide intervals, a uniform one for narrow ones). The stream of draws therefore differs
/// from scipy's; the distribution is the same.
/// </remarks>
public static class TruncatedNormal
{
    private const double InverseCdfLimit = 35.0;
    private static readonly double Sqrt2 = Math.Sqrt(2.0);

    /// <summary>One draw from Normal(<paramref name="mean"/>, <paramref name="sd"/>) truncated to [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="mean">The untruncated mean (may lie outside the interval).</param>
    /// <param name="sd">The untruncated standard deviation, ≥ 0; 0 returns the mean clamped to the interval.</param>
    /// <param name="lower">The lower bound (may be −∞).</param>
    /// <param name="upper">The upper bound (may be +∞), ≥ <paramref name="lower"/>.</param>
    /// <param name="rng">The random source.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is NaN, <paramref name="sd"/> is negative or infinite, or the interval is empty.</exception>
    public static double Sample(double mean, double sd, double lower, double upper, RandomSource rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean of a truncated normal must be finite.");
        }

        if (!(sd >= 0.0) || double.IsPositiveInfinity(sd))
        {
            throw new ArgumentOutOfRangeException(nameof(sd), sd, "The standard deviation of a truncated normal must be finite and ≥ 0.");
        }

        if (!(lower <= upper))
        {
            throw new ArgumentOutOfRangeException(nameof(upper), upper, $"The truncation interval [{lower}, {upper}] is empty or NaN; give lower ≤ upper.");
        }

        if (lower == upper || sd == 0.0)
        {
            return Math.Clamp(mean, lower, upper);
        }

        var a = (lower - mean) / sd;
        var b = (upper - mean) / sd;
        var z = SampleStandard(a, b, rng);
        return Math.Clamp(mean + (sd * z), lower, upper);
    }

    /// <summary>A draw from the standard normal truncated to [a, b], a &lt; b.</summary>
    internal static double SampleStandard(double a, double b, RandomSource rng)
    {
        if (a <= 0.0 && b >= 0.0 && b - a >= 1.0)
        {
            // The interval holds at least 34 % of the mass: plain rejection needs at most 3 tries on average and is
            // several times cheaper than the special functions (BOHB's usual case: mean inside [0, 1], sd ≤ 1).
            while (true)
            {
                var z = rng.NextGaussian();
                if (z >= a && z <= b)
                {
                    return z;
                }
            }
        }

        if (a >= 0.0)
        {
            return SampleRightOfZero(a, b, rng);
        }

        if (b <= 0.0)
        {
            return -SampleRightOfZero(-b, -a, rng);
        }

        // a < 0 < b: cumulative target t = Φ(a) + u·mass, inverted from whichever end is nearer.
        var belowA = UpperTail(-a);
        var aboveB = UpperTail(b);
        var mass = 0.5 * (SpecialFunctions.Erf(b / Sqrt2) + SpecialFunctions.Erf(-a / Sqrt2));
        var u = rng.NextDouble();
        var t = belowA + (u * mass);
        return t <= 0.5
            ? -InverseUpperTail(t)
            : InverseUpperTail(aboveB + ((1.0 - u) * mass));
    }

    /// <summary>Q(x) = 1 − Φ(x), accurate far into the upper tail.</summary>
    internal static double UpperTail(double x) => 0.5 * SpecialFunctions.Erfc(x / Sqrt2);

    /// <summary>The x with Q(x) = p, for p in (0, 1).</summary>
    internal static double InverseUpperTail(double p) => Sqrt2 * SpecialFunctions.ErfcInv(2.0 * p);

    private static double SampleRightOfZero(double a, double b, RandomSource rng)
    {
        if (a > InverseCdfLimit)
        {
            return SampleFarTail(a, b, rng);
        }

        var qa = UpperTail(a);
        var qb = double.IsPositiveInfinity(b) ? 0.0 : UpperTail(b);
        var u = rng.NextDouble();
        var p = qb + ((1.0 - u) * (qa - qb));
        return p > 0.0 ? Math.Clamp(InverseUpperTail(p), a, b) : b;
    }

    private static double SampleFarTail(double a, double b, RandomSource rng)
    {
        if (b - a <= 1.0 / a)
        {
            // Narrow: uniform proposal on [a, b], accept with exp(−(z² − a²)/2) ≥ e^(−1.5).
            while (true)
            {
                var z = a + (rng.NextDouble() * (b - a));
                if (rng.NextDouble() <= Math.Exp(-0.5 * (z - a) * (z + a)))
                {
                    return z;
                }
            }
        }

        // Wide: shifted exponential proposal with Robert's optimal rate.
        var alpha = 0.5 * (a + Math.Sqrt((a * a) + 4.0));
        while (true)
        {
            var z = a - (Math.Log(1.0 - rng.NextDouble()) / alpha);
            if (z > b)
            {
                continue;
            }

            var d = z - alpha;
            if (rng.NextDouble() <= Math.Exp(-0.5 * d * d))
            {
                return z;
            }
        }
    }
}
