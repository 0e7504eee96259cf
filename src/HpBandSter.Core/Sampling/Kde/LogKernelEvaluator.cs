using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HpBandSter.Sampling.Kde;

/// <summary>
/// The fast evaluator, used when every kernel value is positive and finite (all bandwidths &gt; 0, categorical ones
/// &lt; 1, level counts from the hyperparameters). Each row's product of kernels is <c>exp(base − acc)</c> with
/// <c>acc = Σ_continuous (C − c)² − Σ_categorical δ·H</c>: continuous columns are stored centred and scaled as
/// <c>C = (X − μ)/(h√2)</c> (two operations per cell), and each categorical column as one 0/1 indicator column per
/// level, so a candidate's level picks one column and a match adds <c>δ = log(1−h) − log(h/(c−1))</c>
/// (one fused multiply-add per cell). One <c>exp</c> per row; four row vectors are processed together. (Cache
/// tiling over rows was measured and did not help: the data of a 3000-row, 16-column KDE stays in L2.)
/// </summary>
internal sealed class LogKernelEvaluator : KdeEvaluator
{
    private readonly int _rows;
    private readonly int _dims;
    private readonly int _stride;
    private readonly double _base;
    private readonly double[] _data;

    private readonly int[] _continuousColumn;
    private readonly double[] _center;
    private readonly double[] _scale;

    private readonly int[] _categoricalColumn;
    private readonly int[] _levels;
    private readonly int[] _firstLevelSlot;
    private readonly double[] _negativeDelta;

    // Categorical columns with a single choice: every row holds level 0, so a candidate elsewhere has density 0.
    private readonly int[] _singleChoiceColumn;

    private LogKernelEvaluator(ReadOnlySpan<double> rowsRowMajor, int rows, KdeColumn[] columns, double[] bandwidths)
    {
        _rows = rows;
        _dims = columns.Length;
        _stride = (rows + 7) / 8 * 8;

        var continuous = new List<int>();
        var categorical = new List<int>();
        var single = new List<int>();
        for (var j = 0; j < _dims; j++)
        {
            if (!columns[j].IsCategorical)
            {
                continuous.Add(j);
            }
            else if (columns[j].Levels == 1)
            {
                single.Add(j);
            }
            else
            {
                categorical.Add(j);
            }
        }

        _continuousColumn = [.. continuous];
        _categoricalColumn = [.. categorical];
        _singleChoiceColumn = [.. single];
        _levels = [.. categorical.Select(j => columns[j].Levels)];
        _firstLevelSlot = new int[categorical.Count];
        var storedColumns = continuous.Count;
        for (var m = 0; m < categorical.Count; m++)
        {
            _firstLevelSlot[m] = storedColumns;
            storedColumns += _levels[m];
        }

        _data = new double[storedColumns * _stride];
        _center = new double[continuous.Count];
        _scale = new double[continuous.Count];
        _negativeDelta = new double[categorical.Count];

        var logBase = 0.0;
        for (var k = 0; k < continuous.Count; k++)
        {
            var j = continuous[k];
            var h = bandwidths[j];
            var mean = 0.0;
            for (var i = 0; i < rows; i++)
            {
                mean += rowsRowMajor[(i * _dims) + j];
            }

            mean /= rows;
            _center[k] = mean;
            _scale[k] = 1.0 / (h * Math.Sqrt(2.0));
            var target = _data.AsSpan(k * _stride, rows);
            for (var i = 0; i < rows; i++)
            {
                target[i] = (rowsRowMajor[(i * _dims) + j] - mean) * _scale[k];
            }

            logBase -= Math.Log(h) + (0.5 * Math.Log(2.0 * Math.PI));
        }

        for (var m = 0; m < categorical.Count; m++)
        {
            var j = categorical[m];
            var h = bandwidths[j];
            var logEqual = Math.Log(1.0 - h);
            var logOther = Math.Log(h / (_levels[m] - 1));
            logBase += logOther;
            _negativeDelta[m] = logOther - logEqual;
            for (var i = 0; i < rows; i++)
            {
                var level = (int)rowsRowMajor[(i * _dims) + j];
                _data[((_firstLevelSlot[m] + level) * _stride) + i] = 1.0;
            }
        }

        _base = logBase;
    }

    /// <summary>
    /// The evaluator for this fit, or <see langword="null"/> when some kernel value is not positive and finite
    /// (a zero or huge bandwidth, a categorical bandwidth ≥ 1, or observed level counts) and the exact product form
    /// must be used.
    /// </summary>
    public static LogKernelEvaluator? TryCreate(ReadOnlySpan<double> rowsRowMajor, int rows, KdeColumn[] columns, double[] bandwidths, KdeOptions options)
    {
        if (options.StatsmodelsCompatibleLevels)
        {
            return null;
        }

        for (var j = 0; j < columns.Length; j++)
        {
            var h = bandwidths[j];
            var usable = columns[j].IsCategorical
                ? columns[j].Levels == 1 || (h > 0.0 && h < 1.0)
                : h > 0.0 && double.IsFinite(1.0 / h);
            if (!usable)
            {
                return null;
            }
        }

        return new LogKernelEvaluator(rowsRowMajor, rows, columns, bandwidths);
    }

    /// <inheritdoc />
    public override void Evaluate(ReadOnlySpan<double> candidates, int count, Span<double> result, KdeSimdPath path)
    {
        var continuous = _continuousColumn.Length;
        var categorical = _categoricalColumn.Length;
        Span<double> point = continuous <= 128 ? stackalloc double[continuous] : new double[continuous];
        Span<nuint> levelOffset = categorical <= 128 ? stackalloc nuint[categorical] : new nuint[categorical];
        Span<double> weight = categorical <= 128 ? stackalloc double[categorical] : new double[categorical];
        var scratch = new Scratch(point, levelOffset, weight);
        switch (Resolve(path))
        {
            case KdeSimdPath.Vector512:
                Run<Vector512<double>, Lanes512>(candidates, count, result, scratch);
                break;
            case KdeSimdPath.Vector256:
                Run<Vector256<double>, Lanes256>(candidates, count, result, scratch);
                break;
            default:
                Run<double, LanesScalar>(candidates, count, result, scratch);
                break;
        }
    }

    /// <summary>
    /// Translates one candidate into the stored layout: scaled continuous values, and for each categorical column
    /// the offset of its level's indicator column and the weight −δ (0 weight when the level matches no row).
    /// Returns false when a single-choice column makes the density 0.
    /// </summary>
    private bool Prepare(ReadOnlySpan<double> x, Scratch scratch)
    {
        foreach (var j in _singleChoiceColumn)
        {
            if (x[j] != 0.0)
            {
                return false;
            }
        }

        for (var k = 0; k < _continuousColumn.Length; k++)
        {
            scratch.Point[k] = (x[_continuousColumn[k]] - _center[k]) * _scale[k];
        }

        for (var m = 0; m < _categoricalColumn.Length; m++)
        {
            var level = x[_categoricalColumn[m]];
            if (level >= 0 && level < _levels[m] && level == Math.Floor(level))
            {
                scratch.LevelOffset[m] = (nuint)((_firstLevelSlot[m] + (int)level) * _stride);
                scratch.Weight[m] = _negativeDelta[m];
            }
            else
            {
                scratch.LevelOffset[m] = 0; // any column: the weight is 0
                scratch.Weight[m] = 0.0;
            }
        }

        return true;
    }

    private void Run<TV, TL>(ReadOnlySpan<double> candidates, int count, Span<double> result, Scratch scratch)
        where TV : unmanaged
        where TL : ISimdLanes<TV>
    {
        var width = TL.Width;
        var fullVectors = _rows / width;
        var tailLanes = _rows - (fullVectors * width);
        var stride = (nuint)_stride;
        var continuous = _continuousColumn.Length;
        var categorical = _categoricalColumn.Length;

        ref var data = ref MemoryMarshal.GetArrayDataReference(_data);
        ref var point = ref MemoryMarshal.GetReference(scratch.Point);
        ref var levelOffset = ref MemoryMarshal.GetReference(scratch.LevelOffset);
        ref var weight = ref MemoryMarshal.GetReference(scratch.Weight);
        var baseVector = TL.Splat(_base);

        for (var c = 0; c < count; c++)
        {
            if (!Prepare(candidates.Slice(c * _dims, _dims), scratch))
            {
                result[c] = 0.0;
                continue;
            }

            var total0 = TL.Splat(0.0);
            var total1 = total0;
            var v = 0;
            for (; v + 4 <= fullVectors; v += 4)
            {
                var row = (nuint)(v * width);
                var w = (nuint)width;
                TV acc0 = TL.Splat(0.0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
                var column = row;
                for (var k = 0; k < continuous; k++, column += stride)
                {
                    var p = TL.Splat(Unsafe.Add(ref point, k));
                    var d0 = TL.Subtract(TL.Load(ref data, column), p);
                    var d1 = TL.Subtract(TL.Load(ref data, column + w), p);
                    var d2 = TL.Subtract(TL.Load(ref data, column + (2 * w)), p);
                    var d3 = TL.Subtract(TL.Load(ref data, column + (3 * w)), p);
                    acc0 = TL.MultiplyAdd(d0, d0, acc0);
                    acc1 = TL.MultiplyAdd(d1, d1, acc1);
                    acc2 = TL.MultiplyAdd(d2, d2, acc2);
                    acc3 = TL.MultiplyAdd(d3, d3, acc3);
                }

                for (var m = 0; m < categorical; m++)
                {
                    var indicator = Unsafe.Add(ref levelOffset, m) + row;
                    var q = TL.Splat(Unsafe.Add(ref weight, m));
                    acc0 = TL.MultiplyAdd(TL.Load(ref data, indicator), q, acc0);
                    acc1 = TL.MultiplyAdd(TL.Load(ref data, indicator + w), q, acc1);
                    acc2 = TL.MultiplyAdd(TL.Load(ref data, indicator + (2 * w)), q, acc2);
                    acc3 = TL.MultiplyAdd(TL.Load(ref data, indicator + (3 * w)), q, acc3);
                }

                total0 = TL.Add(total0, TL.Add(TL.Exp(TL.Subtract(baseVector, acc0)), TL.Exp(TL.Subtract(baseVector, acc1))));
                total1 = TL.Add(total1, TL.Add(TL.Exp(TL.Subtract(baseVector, acc2)), TL.Exp(TL.Subtract(baseVector, acc3))));
            }

            for (; v < fullVectors; v++)
            {
                total0 = TL.Add(total0, TL.Exp(TL.Subtract(baseVector, RowAccumulator<TV, TL>(ref data, (nuint)(v * width), stride, continuous, categorical, ref point, ref levelOffset, ref weight))));
            }

            if (tailLanes > 0)
            {
                var tail = TL.Exp(TL.Subtract(baseVector, RowAccumulator<TV, TL>(ref data, (nuint)(fullVectors * width), stride, continuous, categorical, ref point, ref levelOffset, ref weight)));
                total1 = TL.Add(total1, TL.KeepFirst(tail, tailLanes));
            }

            result[c] = TL.Sum(TL.Add(total0, total1)) / _rows;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV RowAccumulator<TV, TL>(ref double data, nuint row, nuint stride, int continuous, int categorical, ref double point, ref nuint levelOffset, ref double weight)
        where TV : unmanaged
        where TL : ISimdLanes<TV>
    {
        var acc = TL.Splat(0.0);
        var column = row;
        for (var k = 0; k < continuous; k++, column += stride)
        {
            var d = TL.Subtract(TL.Load(ref data, column), TL.Splat(Unsafe.Add(ref point, k)));
            acc = TL.MultiplyAdd(d, d, acc);
        }

        for (var m = 0; m < categorical; m++)
        {
            acc = TL.MultiplyAdd(TL.Load(ref data, Unsafe.Add(ref levelOffset, m) + row), TL.Splat(Unsafe.Add(ref weight, m)), acc);
        }

        return acc;
    }

    private readonly ref struct Scratch(Span<double> point, Span<nuint> levelOffset, Span<double> weight)
    {
        public Span<double> Point { get; } = point;

        public Span<nuint> LevelOffset { get; } = levelOffset;

        public Span<double> Weight { get; } = weight;
    }
}
