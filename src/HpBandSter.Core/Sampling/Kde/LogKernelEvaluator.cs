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
    private readonly double _base;

    // Per continuous column, (X − μ)/(h√2); per categorical column and level, a 0/1 indicator. Each padded to a
    // multiple of 8 rows with zeros.
    private readonly double[][] _scaled;
    private readonly double[][] _indicator;

    private readonly int[] _continuousColumn;
    private readonly double[] _center;
    private readonly double[] _scale;

    private readonly int[] _categoricalColumn;
    private readonly int[] _levels;
    private readonly int[] _firstLevelSlot;
    private readonly double[] _negativeDelta;

    // Categorical columns with a single choice: every row holds level 0, so a candidate elsewhere has density 0.
    private readonly int[] _singleChoiceColumn;

    private LogKernelEvaluator(double[][] data, int rows, KdeColumn[] columns, double[] bandwidths)
    {
        _rows = rows;
        _dims = columns.Length;
        var stride = MultivariateKde.PaddedLength(rows);
        _continuousColumn = [.. Enumerable.Range(0, _dims).Where(j => !columns[j].IsCategorical)];
        _categoricalColumn = [.. Enumerable.Range(0, _dims).Where(j => columns[j].IsCategorical && columns[j].Levels > 1)];
        _singleChoiceColumn = [.. Enumerable.Range(0, _dims).Where(j => columns[j].IsCategorical && columns[j].Levels == 1)];
        _levels = [.. _categoricalColumn.Select(j => columns[j].Levels)];
        _firstLevelSlot = new int[_categoricalColumn.Length];
        for (var m = 1; m < _categoricalColumn.Length; m++)
        {
            _firstLevelSlot[m] = _firstLevelSlot[m - 1] + _levels[m - 1];
        }

        _center = new double[_continuousColumn.Length];
        _scale = new double[_continuousColumn.Length];
        _scaled = new double[_continuousColumn.Length][];
        var logBase = 0.0;
        for (var k = 0; k < _continuousColumn.Length; k++)
        {
            var source = data[_continuousColumn[k]].AsSpan(0, rows);
            var h = bandwidths[_continuousColumn[k]];
            var mean = 0.0;
            foreach (var value in source)
            {
                mean += value;
            }

            mean /= rows;
            var scale = 1.0 / (h * Math.Sqrt(2.0));
            var target = new double[stride];
            for (var i = 0; i < rows; i++)
            {
                target[i] = (source[i] - mean) * scale;
            }

            (_center[k], _scale[k], _scaled[k]) = (mean, scale, target);
            logBase -= Math.Log(h) + (0.5 * Math.Log(2.0 * Math.PI));
        }

        _negativeDelta = new double[_categoricalColumn.Length];
        _indicator = new double[_levels.Sum()][];
        for (var m = 0; m < _categoricalColumn.Length; m++)
        {
            var h = bandwidths[_categoricalColumn[m]];
            var logEqual = Math.Log(1.0 - h);
            var logOther = Math.Log(h / (_levels[m] - 1));
            logBase += logOther;
            _negativeDelta[m] = logOther - logEqual;
            for (var level = 0; level < _levels[m]; level++)
            {
                _indicator[_firstLevelSlot[m] + level] = new double[stride];
            }

            var source = data[_categoricalColumn[m]].AsSpan(0, rows);
            for (var i = 0; i < rows; i++)
            {
                _indicator[_firstLevelSlot[m] + (int)source[i]][i] = 1.0;
            }
        }

        _base = logBase;
    }

    /// <summary>
    /// The evaluator for this fit, or <see langword="null"/> when some kernel value is not positive and finite
    /// (a zero or huge bandwidth, a categorical bandwidth ≥ 1, or observed level counts) and the exact product form
    /// must be used.
    /// </summary>
    public static LogKernelEvaluator? TryCreate(double[][] data, int rows, KdeColumn[] columns, double[] bandwidths, KdeOptions options)
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

        return new LogKernelEvaluator(data, rows, columns, bandwidths);
    }

    /// <inheritdoc />
    public override void Evaluate(ReadOnlySpan<double> candidates, int count, Span<double> result, KdeSimdPath path)
    {
        var continuous = _continuousColumn.Length;
        var categorical = _categoricalColumn.Length;
        Span<double> values = continuous + categorical <= 256 ? stackalloc double[continuous + categorical] : new double[continuous + categorical];
        Span<int> levelSlot = categorical <= 256 ? stackalloc int[categorical] : new int[categorical];
        switch (Resolve(path))
        {
            case KdeSimdPath.Vector512:
                Run<Vector512<double>, Lanes512>(candidates, count, result, values, levelSlot);
                break;
            case KdeSimdPath.Vector256:
                Run<Vector256<double>, Lanes256>(candidates, count, result, values, levelSlot);
                break;
            default:
                Run<double, LanesScalar>(candidates, count, result, values, levelSlot);
                break;
        }
    }

    /// <summary>
    /// Translates one candidate into the stored layout: <paramref name="values"/> receives the scaled continuous
    /// values, then per categorical column the weight −δ (0 when the value is not a valid level index);
    /// <paramref name="levelSlot"/> receives the indicator column of each categorical value. Returns false when a
    /// single-choice column makes the density 0.
    /// </summary>
    private bool Prepare(ReadOnlySpan<double> x, Span<double> values, Span<int> levelSlot)
    {
        foreach (var j in _singleChoiceColumn)
        {
            if (x[j] != 0.0)
            {
                return false;
            }
        }

        var continuous = _continuousColumn.Length;
        for (var k = 0; k < continuous; k++)
        {
            values[k] = (x[_continuousColumn[k]] - _center[k]) * _scale[k];
        }

        for (var m = 0; m < _categoricalColumn.Length; m++)
        {
            var level = x[_categoricalColumn[m]];
            var valid = level >= 0 && level < _levels[m] && level == Math.Floor(level);
            levelSlot[m] = _firstLevelSlot[m] + (valid ? (int)level : 0);
            values[continuous + m] = valid ? _negativeDelta[m] : 0.0;
        }

        return true;
    }

    private void Run<TV, TL>(ReadOnlySpan<double> candidates, int count, Span<double> result, Span<double> values, Span<int> levelSlot)
        where TV : unmanaged
        where TL : ISimdLanes<TV>
    {
        var width = TL.Width;
        var fullVectors = _rows / width;
        var tailLanes = _rows - (fullVectors * width);
        var continuous = _continuousColumn.Length;
        var categorical = _categoricalColumn.Length;

        ref var scaled = ref MemoryMarshal.GetArrayDataReference(_scaled);
        ref var indicator = ref MemoryMarshal.GetArrayDataReference(_indicator);
        ref var value = ref MemoryMarshal.GetReference(values);
        ref var weight = ref Unsafe.Add(ref value, continuous);
        ref var slot = ref MemoryMarshal.GetReference(levelSlot);
        var baseVector = TL.Splat(_base);

        for (var c = 0; c < count; c++)
        {
            if (!Prepare(candidates.Slice(c * _dims, _dims), values, levelSlot))
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
                TV acc0 = TL.Splat(0.0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
                for (var k = 0; k < continuous; k++)
                {
                    ref var cell = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Unsafe.Add(ref scaled, k)), row);
                    var p = TL.Splat(Unsafe.Add(ref value, k));
                    var d0 = TL.Subtract(TL.Load(ref cell, 0), p);
                    var d1 = TL.Subtract(TL.Load(ref cell, (nuint)TL.Width), p);
                    var d2 = TL.Subtract(TL.Load(ref cell, (nuint)(2 * TL.Width)), p);
                    var d3 = TL.Subtract(TL.Load(ref cell, (nuint)(3 * TL.Width)), p);
                    acc0 = TL.MultiplyAdd(d0, d0, acc0);
                    acc1 = TL.MultiplyAdd(d1, d1, acc1);
                    acc2 = TL.MultiplyAdd(d2, d2, acc2);
                    acc3 = TL.MultiplyAdd(d3, d3, acc3);
                }

                for (var m = 0; m < categorical; m++)
                {
                    ref var cell = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Unsafe.Add(ref indicator, Unsafe.Add(ref slot, m))), row);
                    var q = TL.Splat(Unsafe.Add(ref weight, m));
                    acc0 = TL.MultiplyAdd(TL.Load(ref cell, 0), q, acc0);
                    acc1 = TL.MultiplyAdd(TL.Load(ref cell, (nuint)TL.Width), q, acc1);
                    acc2 = TL.MultiplyAdd(TL.Load(ref cell, (nuint)(2 * TL.Width)), q, acc2);
                    acc3 = TL.MultiplyAdd(TL.Load(ref cell, (nuint)(3 * TL.Width)), q, acc3);
                }

                total0 = TL.Add(total0, TL.Add(TL.Exp(TL.Subtract(baseVector, acc0)), TL.Exp(TL.Subtract(baseVector, acc1))));
                total1 = TL.Add(total1, TL.Add(TL.Exp(TL.Subtract(baseVector, acc2)), TL.Exp(TL.Subtract(baseVector, acc3))));
            }

            for (; v < fullVectors; v++)
            {
                var acc = RowAccumulator<TV, TL>((nuint)(v * width), continuous, categorical, ref scaled, ref indicator, ref value, ref slot);
                total0 = TL.Add(total0, TL.Exp(TL.Subtract(baseVector, acc)));
            }

            if (tailLanes > 0)
            {
                var acc = RowAccumulator<TV, TL>((nuint)(fullVectors * width), continuous, categorical, ref scaled, ref indicator, ref value, ref slot);
                total1 = TL.Add(total1, TL.KeepFirst(TL.Exp(TL.Subtract(baseVector, acc)), tailLanes));
            }

            result[c] = TL.Sum(TL.Add(total0, total1)) / _rows;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV RowAccumulator<TV, TL>(
        nuint row, int continuous, int categorical, ref double[] scaled, ref double[] indicator, ref double value, ref int slot)
        where TV : unmanaged
        where TL : ISimdLanes<TV>
    {
        var acc = TL.Splat(0.0);
        for (var k = 0; k < continuous; k++)
        {
            ref var column = ref MemoryMarshal.GetArrayDataReference(Unsafe.Add(ref scaled, k));
            var d = TL.Subtract(TL.Load(ref column, row), TL.Splat(Unsafe.Add(ref value, k)));
            acc = TL.MultiplyAdd(d, d, acc);
        }

        for (var m = 0; m < categorical; m++)
        {
            ref var column = ref MemoryMarshal.GetArrayDataReference(Unsafe.Add(ref indicator, Unsafe.Add(ref slot, m)));
            acc = TL.MultiplyAdd(TL.Load(ref column, row), TL.Splat(Unsafe.Add(ref value, continuous + m)), acc);
        }

        return acc;
    }
}
