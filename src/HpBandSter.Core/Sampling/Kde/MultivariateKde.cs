using System.Collections.ObjectModel;

namespace HpBandSter.Sampling.Kde;

/// <summary>
/// The product-kernel density estimate BOHB fits to its good and bad observations: statsmodels'
/// <c>KDEMultivariate(data, var_type, bw='normal_reference')</c>, with BOHB's lower bandwidth clip.
/// </summary>
/// <remarks>
/// <para>
/// Every column, categorical ones included, gets the normal-reference bandwidth
/// <c>1.06 · std(column, ddof=0) · n^(−1/(4+d))</c>, then <c>max(bw, MinBandwidth)</c>.
/// <c>pdf(x) = (1/n) Σ_i Π_j k_j(x_j, X_ij)</c>: Gaussian <c>φ((x−X)/h)/h</c> (no truncation) for continuous columns,
/// Aitchison–Aitken <c>1−h</c> if equal and <c>h/(c−1)</c> otherwise for categorical ones (see
/// <see cref="KdeOptions.StatsmodelsCompatibleLevels"/> for c).
/// </para>
/// <para>
/// Immutable once fitted, so concurrent evaluation is safe. Evaluation is vectorised over data rows with one
/// <c>exp</c> per row and allocates nothing. The data is stored one array per column (each 8·n bytes), so that
/// fits of up to about 10 000 rows stay off the large-object heap and refits do not provoke full collections.
/// </para>
/// </remarks>
public sealed class MultivariateKde
{
    private const double NormalReferenceFactor = 1.06;

    private readonly KdeColumn[] _columns;
    private readonly double[] _bandwidths;
    private readonly int[] _levelDivisors;
    private readonly double[][] _data;
    private readonly int _rows;
    private readonly int _dims;
    private readonly KdeEvaluator _evaluator;

    private MultivariateKde(KdeColumn[] columns, KdeOptions options, int rows, double[][] data, double[] bandwidths, int[] levelDivisors)
    {
        _columns = columns;
        Options = options;
        _rows = rows;
        _dims = columns.Length;
        _data = data;
        _bandwidths = bandwidths;
        _levelDivisors = levelDivisors;
        _evaluator = (KdeEvaluator?)LogKernelEvaluator.TryCreate(data, rows, columns, bandwidths, options)
            ?? new ProductKernelEvaluator(data, rows, columns, bandwidths, levelDivisors, options);
        Bandwidths = Array.AsReadOnly(bandwidths);
        Columns = Array.AsReadOnly(columns);
    }

    /// <summary>The number of data rows (observations).</summary>
    public int Count => _rows;

    /// <summary>The number of columns (hyperparameters).</summary>
    public int Dimensions => _dims;

    /// <summary>The column descriptions the model was fitted with.</summary>
    public ReadOnlyCollection<KdeColumn> Columns { get; }

    /// <summary>The settings the model was fitted with.</summary>
    public KdeOptions Options { get; }

    /// <summary>Per column, the normal-reference bandwidth after the <see cref="KdeOptions.MinBandwidth"/> clip.</summary>
    public ReadOnlyCollection<double> Bandwidths { get; }

    /// <summary>
    /// Per column, the c in the categorical kernel's <c>h/(c−1)</c> (observed or true level count, see
    /// <see cref="KdeOptions.StatsmodelsCompatibleLevels"/>); 0 for continuous columns.
    /// </summary>
    internal ReadOnlySpan<int> LevelDivisors => _levelDivisors;

    /// <summary>Fits the estimate to <paramref name="rows"/> observations.</summary>
    /// <param name="rowsRowMajor">The data, <c>rows × columns.Count</c>, row after row; no NaN (impute first with <see cref="KdeImputation.Impute"/>).</param>
    /// <param name="rows">The number of observations (at least 1).</param>
    /// <param name="columns">One description per column.</param>
    /// <param name="options">Bandwidth clip and level-count mode; <see cref="KdeOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The shape, a column description, an option or a data value is invalid.</exception>
    public static MultivariateKde Fit(ReadOnlySpan<double> rowsRowMajor, int rows, IReadOnlyList<KdeColumn> columns, KdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        options ??= KdeOptions.Default;
        var dims = columns.Count;
        if (dims == 0)
        {
            throw new ArgumentException("A KDE needs at least one column.", nameof(columns));
        }

        if (rows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "A KDE needs at least one observation.");
        }

        if ((long)rows * dims != rowsRowMajor.Length)
        {
            throw new ArgumentException(
                $"The data holds {rowsRowMajor.Length} values but {rows} rows × {dims} columns need {(long)rows * dims}.",
                nameof(rowsRowMajor));
        }

        if (!(options.MinBandwidth >= 0.0) || double.IsPositiveInfinity(options.MinBandwidth))
        {
            throw new ArgumentException(
                $"KdeOptions.MinBandwidth is {options.MinBandwidth}; it must be a finite number ≥ 0 (BOHB's default is 1e-3).",
                nameof(options));
        }

        var cols = new KdeColumn[dims];
        for (var j = 0; j < dims; j++)
        {
            cols[j] = columns[j];
            if (cols[j].IsCategorical)
            {
                if (cols[j].Levels < 1)
                {
                    throw new ArgumentException(
                        $"KDE {cols[j].Describe(j)} is categorical with {cols[j].Levels} levels; give the hyperparameter's number of choices (at least 1).",
                        nameof(columns));
                }
            }
            else if (cols[j].Kind != KdeColumnKind.Continuous)
            {
                throw new ArgumentException($"KDE {cols[j].Describe(j)} has an unknown kind {cols[j].Kind}.", nameof(columns));
            }
        }

        ValidateData(rowsRowMajor, rows, cols, options.StatsmodelsCompatibleLevels);

        // One array per column, padded with zeros to a multiple of 8 rows so that vector loads never run past the end.
        var stride = PaddedLength(rows);
        var data = new double[dims][];
        for (var j = 0; j < dims; j++)
        {
            data[j] = new double[stride];
        }

        for (var i = 0; i < rows; i++)
        {
            var row = rowsRowMajor.Slice(i * dims, dims);
            for (var j = 0; j < dims; j++)
            {
                data[j][i] = row[j];
            }
        }

        var bandwidths = NormalReferenceBandwidths(data, rows);
        for (var j = 0; j < dims; j++)
        {
            bandwidths[j] = Math.Max(bandwidths[j], options.MinBandwidth);
        }

        var levelDivisors = new int[dims];
        for (var j = 0; j < dims; j++)
        {
            if (cols[j].IsCategorical)
            {
                levelDivisors[j] = options.StatsmodelsCompatibleLevels
                    ? CountDistinct(data[j].AsSpan(0, rows))
                    : cols[j].Levels;
            }
        }

        return new MultivariateKde(cols, options, rows, data, bandwidths, levelDivisors);
    }

    /// <summary>The column length used for storage: <paramref name="rows"/> rounded up to a multiple of 8.</summary>
    internal static int PaddedLength(int rows) => (rows + 7) / 8 * 8;

    /// <summary>
    /// statsmodels' <c>_normal_reference</c>: <c>1.06 · np.std(data, axis=0) · n^(−1/(4+d))</c>.
    /// </summary>
    internal static double[] NormalReferenceBandwidths(IReadOnlyList<double[]> columns, int rows)
    {
        var dims = columns.Count;
        var bandwidths = new double[dims];
        var factor = Math.Pow(rows, -1.0 / (4 + dims));
        for (var j = 0; j < dims; j++)
        {
            bandwidths[j] = NormalReferenceFactor * PopulationStd(columns[j].AsSpan(0, rows)) * factor;
        }

        return bandwidths;
    }

    /// <summary>
    /// One column of <c>np.std(data, axis=0)</c> (ddof = 0) with numpy's exact arithmetic for a C-ordered array
    /// reduced along axis 0: the rows are added one after the other (numpy's pairwise summation applies only along
    /// the contiguous axis), mean = sum / n, then the same for the squared deviations, divided by n, square root.
    /// </summary>
    internal static double PopulationStd(ReadOnlySpan<double> column)
    {
        var sum = 0.0;
        foreach (var value in column)
        {
            sum += value;
        }

        var mean = sum / column.Length;
        var squares = 0.0;
        foreach (var value in column)
        {
            var deviation = value - mean;
            squares += deviation * deviation;
        }

        return Math.Sqrt(squares / column.Length);
    }

    /// <summary>The density at one point.</summary>
    /// <param name="x">A vector of <see cref="Dimensions"/> values in the fitted column order.</param>
    public double Pdf(ReadOnlySpan<double> x)
    {
        if (x.Length != _dims)
        {
            throw new ArgumentException($"The point has {x.Length} values but the KDE has {_dims} columns.", nameof(x));
        }

        double result = 0;
        PdfBatch(x, 1, new Span<double>(ref result), KdeSimdPath.Auto);
        return result;
    }

    /// <summary>The density at <paramref name="count"/> points at once (faster than one by one: the data stays in cache).</summary>
    /// <param name="candidatesRowMajor">The points, <c>count × Dimensions</c> values, row after row.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="result">Receives the densities; at least <paramref name="count"/> long.</param>
    public void PdfBatch(ReadOnlySpan<double> candidatesRowMajor, int count, Span<double> result) =>
        PdfBatch(candidatesRowMajor, count, result, KdeSimdPath.Auto);

    /// <summary>As <see cref="PdfBatch(ReadOnlySpan{double}, int, Span{double})"/>, with a chosen implementation.</summary>
    internal void PdfBatch(ReadOnlySpan<double> candidatesRowMajor, int count, Span<double> result, KdeSimdPath path)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (candidatesRowMajor.Length < (long)count * _dims)
        {
            throw new ArgumentException(
                $"{count} points of {_dims} values need {(long)count * _dims} values but {candidatesRowMajor.Length} were given.",
                nameof(candidatesRowMajor));
        }

        if (result.Length < count)
        {
            throw new ArgumentException($"The result span holds {result.Length} values but {count} points were asked for.", nameof(result));
        }

        if (count == 0)
        {
            return;
        }

        _evaluator.Evaluate(candidatesRowMajor, count, result, path);
    }

    /// <summary>Whether evaluation runs the fast log-domain form (false: the exact product form, see <see cref="ProductKernelEvaluator"/>).</summary>
    internal bool UsesLogKernel => _evaluator is LogKernelEvaluator;

    /// <summary>
    /// Draws one BOHB proposal around a uniformly chosen data row: continuous columns from a normal with the column's
    /// bandwidth × <paramref name="bandwidthFactor"/>, truncated to [0, 1]; categorical columns keep the row's level
    /// with probability 1 − bandwidth, else take a uniform level (<see cref="CategoricalProposal"/>).
    /// </summary>
    /// <param name="bandwidthFactor">BOHB's <c>bandwidth_factor</c> (default 3), applied to continuous columns only.</param>
    /// <param name="rng">The random source.</param>
    /// <param name="destination">Receives <see cref="Dimensions"/> values.</param>
    /// <returns>The index of the data row the proposal was drawn around.</returns>
    public int SampleProposal(double bandwidthFactor, RandomSource rng, Span<double> destination)
        => SampleProposal(bandwidthFactor, rng, destination, default);

    /// <summary>
    /// As <see cref="SampleProposal(double, RandomSource, Span{double})"/>, but continuous columns flagged in
    /// <paramref name="unbounded"/> (a normal hyperparameter without bounds, whose vector entry is not a position in
    /// [0, 1]) are drawn from the untruncated normal around the datum.
    /// </summary>
    public int SampleProposal(double bandwidthFactor, RandomSource rng, Span<double> destination, ReadOnlySpan<bool> unbounded)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(bandwidthFactor > 0.0) || double.IsPositiveInfinity(bandwidthFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidthFactor), bandwidthFactor, "The bandwidth factor must be a finite number > 0 (BOHB's default is 3).");
        }

        if (destination.Length < _dims)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values but the KDE has {_dims} columns.", nameof(destination));
        }

        var datum = rng.Next(_rows);
        for (var j = 0; j < _dims; j++)
        {
            var m = GetValue(datum, j);
            var bw = _bandwidths[j];
            destination[j] = _columns[j].IsCategorical
                ? CategoricalProposal.Sample((int)m, bw, _columns[j].Levels, rng)
                : j < unbounded.Length && unbounded[j]
                    ? m + (bw * bandwidthFactor * rng.NextGaussian())
                    : TruncatedNormal.Sample(m, bw * bandwidthFactor, 0.0, 1.0, rng);
        }

        return datum;
    }

    /// <summary>The fitted value at a data row and column.</summary>
    internal double GetValue(int row, int column) => _data[column][row];

    private static void ValidateData(ReadOnlySpan<double> rowsRowMajor, int rows, KdeColumn[] columns, bool compatibleLevels)
    {
        var dims = columns.Length;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < dims; j++)
            {
                var value = rowsRowMajor[(i * dims) + j];
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException(
                        $"KDE {columns[j].Describe(j)} holds {value} at row {i}; fit only finite values (impute inactive NaN entries with KdeImputation.Impute first).",
                        nameof(rowsRowMajor));
                }

                if (columns[j].IsCategorical && !compatibleLevels
                    && (value < 0 || value >= columns[j].Levels || value != Math.Floor(value)))
                {
                    throw new ArgumentException(
                        $"KDE {columns[j].Describe(j)} is categorical with {columns[j].Levels} levels but row {i} holds {value}; categorical values must be level indices 0..{columns[j].Levels - 1}.",
                        nameof(rowsRowMajor));
                }
            }
        }
    }

    private static int CountDistinct(ReadOnlySpan<double> column)
    {
        var seen = new HashSet<double>();
        foreach (var value in column)
        {
            seen.Add(value + 0.0); // +0.0 folds −0 into 0, as np.unique does
        }

        return seen.Count;
    }
}
