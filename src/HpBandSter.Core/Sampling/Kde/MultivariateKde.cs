using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// <c>exp</c> per row and allocates nothing.
/// </para>
/// </remarks>
public sealed class MultivariateKde
{
    private const double NormalReferenceFactor = 1.06;
    private const int TileBytes = 16 * 1024;

    private static readonly double LogSqrtTwoPi = 0.5 * Math.Log(2.0 * Math.PI);

    private readonly KdeColumn[] _columns;
    private readonly double[] _bandwidths;
    private readonly int[] _levelDivisors;
    private readonly int _rows;
    private readonly int _dims;
    private readonly int _stride;
    private readonly int _continuousCount;

    // Column-major, continuous columns first then categorical ones, each column _stride (a multiple of 8) long.
    private readonly double[] _data;

    // Storage slot -> original column, and the inverse.
    private readonly int[] _columnOfSlot;
    private readonly int[] _slotOfColumn;

    // Per continuous slot: 1/h. Per categorical slot: the kernel value when equal, and when different.
    private readonly double[] _inverseBandwidth;
    private readonly double[] _equalKernel;
    private readonly double[] _otherKernel;

    // 2 Σ_continuous log(√(2π) h): the accumulator starts here so that exp(−acc/2) carries the normalisation.
    private readonly double _accumulatorSeed;
    private readonly int _tileRows;

    private MultivariateKde(
        KdeColumn[] columns,
        KdeOptions options,
        int rows,
        double[] data,
        double[] bandwidths,
        int[] levelDivisors,
        int[] columnOfSlot,
        int continuousCount)
    {
        _columns = columns;
        Options = options;
        _rows = rows;
        _dims = columns.Length;
        _stride = data.Length / _dims;
        _data = data;
        _bandwidths = bandwidths;
        _levelDivisors = levelDivisors;
        _columnOfSlot = columnOfSlot;
        _continuousCount = continuousCount;
        _slotOfColumn = new int[_dims];
        for (var slot = 0; slot < _dims; slot++)
        {
            _slotOfColumn[columnOfSlot[slot]] = slot;
        }

        _inverseBandwidth = new double[continuousCount];
        _equalKernel = new double[_dims - continuousCount];
        _otherKernel = new double[_dims - continuousCount];
        var seed = 0.0;
        for (var slot = 0; slot < _dims; slot++)
        {
            var column = columnOfSlot[slot];
            var h = bandwidths[column];
            if (slot < continuousCount)
            {
                _inverseBandwidth[slot] = 1.0 / h;
                seed += 2.0 * (Math.Log(h) + LogSqrtTwoPi);
            }
            else
            {
                var c = levelDivisors[column];
                var k = slot - continuousCount;
                if (c == 1 && !options.StatsmodelsCompatibleLevels)
                {
                    (_equalKernel[k], _otherKernel[k]) = (1.0, 0.0);
                }
                else
                {
                    (_equalKernel[k], _otherKernel[k]) = (1.0 - h, h / (c - 1));
                }
            }
        }

        _accumulatorSeed = seed;
        _tileRows = Math.Max(8, TileBytes / (sizeof(double) * _dims) / 8 * 8);
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
        var continuousCount = 0;
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
            else if (cols[j].Kind == KdeColumnKind.Continuous)
            {
                continuousCount++;
            }
            else
            {
                throw new ArgumentException($"KDE {cols[j].Describe(j)} has an unknown kind {cols[j].Kind}.", nameof(columns));
            }
        }

        ValidateData(rowsRowMajor, rows, cols, options.StatsmodelsCompatibleLevels);

        var bandwidths = NormalReferenceBandwidths(rowsRowMajor, rows, dims);
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
                    ? CountDistinct(rowsRowMajor, rows, dims, j)
                    : cols[j].Levels;
            }
        }

        var columnOfSlot = new int[dims];
        var nextContinuous = 0;
        var nextCategorical = continuousCount;
        for (var j = 0; j < dims; j++)
        {
            columnOfSlot[cols[j].IsCategorical ? nextCategorical++ : nextContinuous++] = j;
        }

        var stride = (rows + 7) / 8 * 8;
        var data = new double[stride * dims];
        for (var slot = 0; slot < dims; slot++)
        {
            var j = columnOfSlot[slot];
            var target = data.AsSpan(slot * stride, rows);
            for (var i = 0; i < rows; i++)
            {
                target[i] = rowsRowMajor[(i * dims) + j];
            }
        }

        return new MultivariateKde(cols, options, rows, data, bandwidths, levelDivisors, columnOfSlot, continuousCount);
    }

    /// <summary>
    /// statsmodels' <c>_normal_reference</c>: <c>1.06 · np.std(data, axis=0) · n^(−1/(4+d))</c>.
    /// </summary>
    internal static double[] NormalReferenceBandwidths(ReadOnlySpan<double> rowsRowMajor, int rows, int dims)
    {
        var bandwidths = PopulationStd(rowsRowMajor, rows, dims);
        var factor = Math.Pow(rows, -1.0 / (4 + dims));
        for (var j = 0; j < dims; j++)
        {
            bandwidths[j] = NormalReferenceFactor * bandwidths[j] * factor;
        }

        return bandwidths;
    }

    /// <summary>
    /// <c>np.std(data, axis=0)</c> (ddof = 0) with numpy's exact arithmetic for a C-ordered array reduced along
    /// axis 0: row-by-row (not pairwise) summation, mean = sum / n, then the mean of squared deviations.
    /// </summary>
    internal static double[] PopulationStd(ReadOnlySpan<double> rowsRowMajor, int rows, int dims)
    {
        var mean = new double[dims];
        for (var i = 0; i < rows; i++)
        {
            var row = rowsRowMajor.Slice(i * dims, dims);
            for (var j = 0; j < dims; j++)
            {
                mean[j] += row[j];
            }
        }

        for (var j = 0; j < dims; j++)
        {
            mean[j] /= rows;
        }

        var squares = new double[dims];
        for (var i = 0; i < rows; i++)
        {
            var row = rowsRowMajor.Slice(i * dims, dims);
            for (var j = 0; j < dims; j++)
            {
                var deviation = row[j] - mean[j];
                squares[j] += deviation * deviation;
            }
        }

        for (var j = 0; j < dims; j++)
        {
            squares[j] = Math.Sqrt(squares[j] / rows);
        }

        return squares;
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

        Span<double> reordered = _dims <= 256 ? stackalloc double[_dims] : new double[_dims];
        switch (Resolve(path))
        {
            case KdeSimdPath.Vector512:
                Evaluate<Vector512<double>, Lanes512>(candidatesRowMajor, count, result, reordered);
                break;
            case KdeSimdPath.Vector256:
                Evaluate<Vector256<double>, Lanes256>(candidatesRowMajor, count, result, reordered);
                break;
            default:
                Evaluate<double, LanesScalar>(candidatesRowMajor, count, result, reordered);
                break;
        }
    }

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
                : TruncatedNormal.Sample(m, bw * bandwidthFactor, 0.0, 1.0, rng);
        }

        return datum;
    }

    /// <summary>The fitted value at a data row and column.</summary>
    internal double GetValue(int row, int column) => _data[(_slotOfColumn[column] * _stride) + row];

    private static KdeSimdPath Resolve(KdeSimdPath path) => path switch
    {
        KdeSimdPath.Auto when Vector512.IsHardwareAccelerated => KdeSimdPath.Vector512,
        KdeSimdPath.Auto when Vector256.IsHardwareAccelerated => KdeSimdPath.Vector256,
        KdeSimdPath.Auto => KdeSimdPath.Scalar,
        KdeSimdPath.Vector512 when !Vector512.IsHardwareAccelerated => Resolve(KdeSimdPath.Vector256),
        KdeSimdPath.Vector256 when !Vector256.IsHardwareAccelerated => KdeSimdPath.Scalar,
        _ => path,
    };

    private void Evaluate<TV, TL>(ReadOnlySpan<double> candidates, int count, Span<double> result, Span<double> reordered)
        where TV : unmanaged
        where TL : ISimdLanes<TV>
    {
        var width = TL.Width;
        var fullVectors = _rows / width;
        var tailLanes = _rows - (fullVectors * width);
        var totalVectors = fullVectors + (tailLanes > 0 ? 1 : 0);
        var tileVectors = Math.Max(1, _tileRows / width);
        var dims = _dims;
        var continuous = _continuousCount;
        var stride = (nuint)_stride;

        ref var data = ref MemoryMarshal.GetArrayDataReference(_data);
        ref var x = ref MemoryMarshal.GetReference(reordered);
        ref var inverseBandwidth = ref MemoryMarshal.GetArrayDataReference(_inverseBandwidth);
        ref var equalKernel = ref MemoryMarshal.GetArrayDataReference(_equalKernel);
        ref var otherKernel = ref MemoryMarshal.GetArrayDataReference(_otherKernel);
        var seed = TL.Splat(_accumulatorSeed);
        var minusHalf = TL.Splat(-0.5);
        var one = TL.Splat(1.0);
        var zero = TL.Splat(0.0);

        result[..count].Clear();
        for (var tileStart = 0; tileStart < totalVectors; tileStart += tileVectors)
        {
            var tileEnd = Math.Min(totalVectors, tileStart + tileVectors);
            for (var c = 0; c < count; c++)
            {
                var point = candidates.Slice(c * dims, dims);
                for (var slot = 0; slot < dims; slot++)
                {
                    reordered[slot] = point[_columnOfSlot[slot]];
                }

                var total = zero;
                for (var v = tileStart; v < tileEnd; v++)
                {
                    var offset = (nuint)(v * width);
                    TV value;
                    if (continuous > 0)
                    {
                        var acc = seed;
                        for (var k = 0; k < continuous; k++)
                        {
                            var diff = TL.Subtract(TL.Load(ref data, offset), TL.Splat(Unsafe.Add(ref x, k)));
                            var z = TL.Multiply(diff, TL.Splat(Unsafe.Add(ref inverseBandwidth, k)));
                            acc = TL.MultiplyAdd(z, z, acc);
                            offset += stride;
                        }

                        value = TL.Exp(TL.Multiply(acc, minusHalf));
                    }
                    else
                    {
                        value = one;
                    }

                    for (var k = 0; k < dims - continuous; k++)
                    {
                        var kernel = TL.SelectEqual(
                            TL.Load(ref data, offset),
                            TL.Splat(Unsafe.Add(ref x, continuous + k)),
                            TL.Splat(Unsafe.Add(ref equalKernel, k)),
                            TL.Splat(Unsafe.Add(ref otherKernel, k)));
                        value = TL.Multiply(value, kernel);
                        offset += stride;
                    }

                    if (v == fullVectors)
                    {
                        value = TL.KeepFirst(value, tailLanes);
                    }

                    total = TL.Add(total, value);
                }

                result[c] += TL.Sum(total);
            }
        }

        for (var c = 0; c < count; c++)
        {
            result[c] /= _rows;
        }
    }

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

    private static int CountDistinct(ReadOnlySpan<double> rowsRowMajor, int rows, int dims, int column)
    {
        var seen = new HashSet<double>();
        for (var i = 0; i < rows; i++)
        {
            seen.Add(rowsRowMajor[(i * dims) + column] + 0.0); // +0.0 folds −0 into 0, as np.unique does
        }

        return seen.Count;
    }
}
