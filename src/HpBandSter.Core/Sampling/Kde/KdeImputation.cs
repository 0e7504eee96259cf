namespace HpBandSter.Sampling.Kde;

/// <summary>
/// Fills the inactive (NaN) entries of BOHB's good or bad observations before a KDE is fitted, as HpBandSter's
/// <c>impute_conditional_data</c> does, with its column-0 defect fixed.
/// </summary>
public static class KdeImputation
{
    /// <summary>
    /// Replaces every NaN in place. For each row, while a NaN remains: take its first NaN column; if other rows
    /// had that column active (finite) in the data as given, copy ALL of this row's still-NaN positions from one such
    /// row chosen uniformly (copied values may be NaN themselves; the loop goes on); otherwise fill that column
    /// uniformly (continuous: <c>NextDouble()</c>; categorical: <c>Next(levels)</c>).
    /// </summary>
    /// <remarks>
    /// Donors always come from the data as it was given, not from rows imputed earlier in the same call.
    /// HpBandSter's loop condition <c>np.any(nan_indices)</c> is false when the only NaN is in column 0, leaving
    /// it NaN; here every NaN is filled. Allocates only when some NaN is present.
    /// </remarks>
    /// <param name="rowsRowMajor">The data, <c>rows × columns.Count</c>, row after row; changed in place.</param>
    /// <param name="rows">The number of rows.</param>
    /// <param name="columns">One description per column (categorical ones need their level count).</param>
    /// <param name="rng">The random source.</param>
    public static void Impute(Span<double> rowsRowMajor, int rows, IReadOnlyList<KdeColumn> columns, RandomSource rng)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var dims = columns.Count;
        if ((long)rows * dims != rowsRowMajor.Length)
        {
            throw new ArgumentException(
                $"The data holds {rowsRowMajor.Length} values but {rows} rows × {dims} columns need {(long)rows * dims}.",
                nameof(rowsRowMajor));
        }

        if (!ContainsNaN(rowsRowMajor))
        {
            return;
        }

        for (var j = 0; j < dims; j++)
        {
            if (columns[j].IsCategorical && columns[j].Levels < 1)
            {
                throw new ArgumentException(
                    $"KDE {columns[j].Describe(j)} is categorical with {columns[j].Levels} levels; give the hyperparameter's number of choices (at least 1).",
                    nameof(columns));
            }
        }

        var original = rowsRowMajor.ToArray();
        var donors = new int[dims][];
        for (var j = 0; j < dims; j++)
        {
            var list = new List<int>();
            for (var i = 0; i < rows; i++)
            {
                if (double.IsFinite(original[(i * dims) + j]))
                {
                    list.Add(i);
                }
            }

            donors[j] = [.. list];
        }

        for (var i = 0; i < rows; i++)
        {
            var datum = rowsRowMajor.Slice(i * dims, dims);
            var first = FirstNaN(datum);
            while (first >= 0)
            {
                var candidates = donors[first];
                if (candidates.Length > 0)
                {
                    var donor = original.AsSpan(candidates[rng.Next(candidates.Length)] * dims, dims);
                    for (var j = first; j < dims; j++)
                    {
                        if (double.IsNaN(datum[j]))
                        {
                            datum[j] = donor[j];
                        }
                    }
                }
                else
                {
                    datum[first] = columns[first].IsCategorical ? rng.Next(columns[first].Levels) : rng.NextDouble();
                }

                first = FirstNaN(datum);
            }
        }
    }

    private static bool ContainsNaN(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (double.IsNaN(value))
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstNaN(ReadOnlySpan<double> values)
    {
        for (var j = 0; j < values.Length; j++)
        {
            if (double.IsNaN(values[j]))
            {
                return j;
            }
        }

        return -1;
    }
}
