using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HpBandSter.Sampling.Kde;

/// <summary>
/// The exact statsmodels form, for every fit: each row's value is <c>exp(−acc/2) · Π_categorical k</c>, with the
/// continuous normalisation folded into the accumulator and the categorical kernel values multiplied as they are,
/// so NaN (0/0), ∞ (h/0) and negative kernels (h &gt; 1) come out as numpy's would. Reads the model's own columns.
/// </summary>
internal sealed class ProductKernelEvaluator : KdeEvaluator
{
    private readonly int _rows;
    private readonly int _dims;
    private readonly int _continuousCount;

    // The model's columns, continuous ones first, then categorical ones.
    private readonly double[][] _slots;
    private readonly int[] _columnOfSlot;

    // Per continuous slot: 1/h. Per categorical slot: the kernel value when equal, and when different.
    private readonly double[] _inverseBandwidth;
    private readonly double[] _equalKernel;
    private readonly double[] _otherKernel;

    // 2 Σ_continuous log(√(2π) h): the accumulator starts here so that exp(−acc/2) carries the normalisation.
    private readonly double _accumulatorSeed;

    public ProductKernelEvaluator(double[][] data, int rows, KdeColumn[] columns, double[] bandwidths, int[] levelDivisors, KdeOptions options)
    {
        _rows = rows;
        _dims = columns.Length;
        _columnOfSlot = [.. Enumerable.Range(0, _dims).OrderBy(j => columns[j].IsCategorical ? 1 : 0)];
        _continuousCount = columns.Count(c => !c.IsCategorical);
        _slots = [.. _columnOfSlot.Select(j => data[j])];
        _inverseBandwidth = new double[_continuousCount];
        _equalKernel = new double[_dims - _continuousCount];
        _otherKernel = new double[_dims - _continuousCount];
        var seed = 0.0;
        for (var slot = 0; slot < _dims; slot++)
        {
            var j = _columnOfSlot[slot];
            var h = bandwidths[j];
            if (slot < _continuousCount)
            {
                _inverseBandwidth[slot] = 1.0 / h;
                seed += 2.0 * (Math.Log(h) + (0.5 * Math.Log(2.0 * Math.PI)));
            }
            else
            {
                var c = levelDivisors[j];
                var k = slot - _continuousCount;
                (_equalKernel[k], _otherKernel[k]) = c == 1 && !options.StatsmodelsCompatibleLevels
                    ? (1.0, 0.0)
                    : (1.0 - h, h / (c - 1));
            }
        }

        _accumulatorSeed = seed;
    }

    /// <inheritdoc />
    public override void Evaluate(ReadOnlySpan<double> candidates, int count, Span<double> result, KdeSimdPath path)
    {
        Span<double> reordered = _dims <= 256 ? stackalloc double[_dims] : new double[_dims];
        switch (Resolve(path))
        {
            case KdeSimdPath.Vector512:
                Run<Vector512<double>, Lanes512>(candidates, count, result, reordered);
                break;
            case KdeSimdPath.Vector256:
                Run<Vector256<double>, Lanes256>(candidates, count, result, reordered);
                break;
            default:
                Run<double, LanesScalar>(candidates, count, result, reordered);
                break;
        }
    }

    private void Run<TV, TL>(ReadOnlySpan<double> candidates, int count, Span<double> result, Span<double> reordered)
        where TV : unmanaged
        where TL : ISimdLanes<TV>
    {
        var width = TL.Width;
        var fullVectors = _rows / width;
        var tailLanes = _rows - (fullVectors * width);
        var totalVectors = fullVectors + (tailLanes > 0 ? 1 : 0);
        var dims = _dims;
        var continuous = _continuousCount;

        ref var slots = ref MemoryMarshal.GetArrayDataReference(_slots);
        ref var x = ref MemoryMarshal.GetReference(reordered);
        ref var inverseBandwidth = ref MemoryMarshal.GetArrayDataReference(_inverseBandwidth);
        ref var equalKernel = ref MemoryMarshal.GetArrayDataReference(_equalKernel);
        ref var otherKernel = ref MemoryMarshal.GetArrayDataReference(_otherKernel);
        var seed = TL.Splat(_accumulatorSeed);
        var minusHalf = TL.Splat(-0.5);
        var one = TL.Splat(1.0);

        for (var c = 0; c < count; c++)
        {
            var point = candidates.Slice(c * dims, dims);
            for (var slot = 0; slot < dims; slot++)
            {
                reordered[slot] = point[_columnOfSlot[slot]];
            }

            var total = TL.Splat(0.0);
            for (var v = 0; v < totalVectors; v++)
            {
                var offset = (nuint)(v * width);
                var value = one;
                if (continuous > 0)
                {
                    var acc = seed;
                    for (var k = 0; k < continuous; k++)
                    {
                        ref var column = ref MemoryMarshal.GetArrayDataReference(Unsafe.Add(ref slots, k));
                        var diff = TL.Subtract(TL.Load(ref column, offset), TL.Splat(Unsafe.Add(ref x, k)));
                        var z = TL.Multiply(diff, TL.Splat(Unsafe.Add(ref inverseBandwidth, k)));
                        acc = TL.MultiplyAdd(z, z, acc);
                    }

                    value = TL.Exp(TL.Multiply(acc, minusHalf));
                }

                for (var k = 0; k < dims - continuous; k++)
                {
                    ref var column = ref MemoryMarshal.GetArrayDataReference(Unsafe.Add(ref slots, continuous + k));
                    var kernel = TL.SelectEqual(
                        TL.Load(ref column, offset),
                        TL.Splat(Unsafe.Add(ref x, continuous + k)),
                        TL.Splat(Unsafe.Add(ref equalKernel, k)),
                        TL.Splat(Unsafe.Add(ref otherKernel, k)));
                    value = TL.Multiply(value, kernel);
                }

                if (v == fullVectors)
                {
                    value = TL.KeepFirst(value, tailLanes);
                }

                total = TL.Add(total, value);
            }

            result[c] = TL.Sum(total) / _rows;
        }
    }
}
