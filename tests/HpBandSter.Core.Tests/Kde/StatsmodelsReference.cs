namespace HpBandSter.Tests.Kde;

/// <summary>
/// A literal, slow transcription of statsmodels' <c>gpke</c> (one kernel value per cell, product over columns, divided by
/// the product of continuous bandwidths, summed, divided by n), written independently of the fast implementation.
/// </summary>
internal static class StatsmodelsReference
{
    /// <param name="data">Row-major data.</param>
    /// <param name="categorical">Per column, whether it is categorical.</param>
    /// <param name="bandwidths">Per column bandwidth.</param>
    /// <param name="divisor">Per column c of <c>h/(c−1)</c>.</param>
    /// <param name="fixedSingleLevel">When true, a column with c = 1 uses 1 (equal) / 0 (different), the project's fixed mode.</param>
    /// <param name="x">The query point.</param>
    public static double Pdf(double[] data, bool[] categorical, double[] bandwidths, int[] divisor, bool fixedSingleLevel, ReadOnlySpan<double> x)
    {
        var dims = categorical.Length;
        var rows = data.Length / dims;
        var bandwidthProduct = 1.0;
        for (var j = 0; j < dims; j++)
        {
            if (!categorical[j])
            {
                bandwidthProduct *= bandwidths[j];
            }
        }

        var sum = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var product = 1.0;
            for (var j = 0; j < dims; j++)
            {
                var xi = data[(i * dims) + j];
                var h = bandwidths[j];
                double k;
                if (!categorical[j])
                {
                    k = 1.0 / Math.Sqrt(2 * Math.PI) * Math.Exp(-((xi - x[j]) * (xi - x[j])) / (h * h * 2.0));
                }
                else if (fixedSingleLevel && divisor[j] == 1)
                {
                    k = xi == x[j] ? 1.0 : 0.0;
                }
                else
                {
                    k = xi == x[j] ? 1.0 - h : h / (divisor[j] - 1);
                }

                product *= k;
            }

            sum += product / bandwidthProduct;
        }

        return sum / rows;
    }
}
