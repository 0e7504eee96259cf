namespace HpBandSter.Scheduling;

/// <summary>
/// The few Python/numpy float operations the bracket arithmetic depends on, reproduced bit for bit so that the
/// same settings give the same brackets as HpBandSter.
/// </summary>
internal static class PythonNumerics
{
    /// <summary>
    /// Python's (and numpy's) float floor division <c>a // b</c>: the floor of the exact quotient, computed from
    /// <c>fmod</c>, not <c>floor(a / b)</c> (which differs when <c>a / b</c> rounds up to an integer:
    /// <c>1 // 0.1</c> is 9.0 while <c>floor(1 / 0.1)</c> is 10).
    /// </summary>
    public static double FloorDivide(double a, double b)
    {
        if (b == 0)
        {
            throw new DivideByZeroException("Float floor division by zero.");
        }

        var mod = a % b; // C# % on doubles is C's fmod
        var div = (a - mod) / b;
        if (mod != 0)
        {
            if ((b < 0) != (mod < 0))
            {
                div -= 1.0;
            }
        }

        if (div == 0)
        {
            return Math.CopySign(0.0, a / b);
        }

        var floorDiv = Math.Floor(div);
        if (div - floorDiv > 0.5)
        {
            floorDiv += 1.0;
        }

        return floorDiv;
    }

    /// <summary>
    /// numpy's <c>ndarray.sum()</c> of a contiguous float64 vector: a plain left-to-right loop below 8 elements, eight
    /// interleaved partial sums up to 128 elements, and recursive halving (at multiples of 8) beyond that.
    /// </summary>
    public static double NumpySum(ReadOnlySpan<double> values)
    {
        if (values.Length < 8)
        {
            var sum = 0.0;
            foreach (var v in values)
            {
                sum += v;
            }

            return sum;
        }

        if (values.Length <= 128)
        {
            Span<double> r = stackalloc double[8];
            values[..8].CopyTo(r);
            var i = 8;
            for (; i < values.Length - (values.Length % 8); i += 8)
            {
                for (var j = 0; j < 8; j++)
                {
                    r[j] += values[i + j];
                }
            }

            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < values.Length; i++)
            {
                res += values[i];
            }

            return res;
        }

        var half = values.Length / 2;
        half -= half % 8;
        return NumpySum(values[..half]) + NumpySum(values[half..]);
    }
}
