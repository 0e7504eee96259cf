using System.Runtime.Intrinsics;

namespace HpBandSter.Sampling.Kde;

/// <summary>Evaluates a fitted KDE's density at a batch of points; the layout of the data is the evaluator's own.</summary>
internal abstract class KdeEvaluator
{
    /// <summary>Writes the density at each of <paramref name="count"/> row-major points into <paramref name="result"/>.</summary>
    public abstract void Evaluate(ReadOnlySpan<double> candidates, int count, Span<double> result, KdeSimdPath path);

    /// <summary>The implementation <paramref name="path"/> stands for on this hardware.</summary>
    protected static KdeSimdPath Resolve(KdeSimdPath path) => path switch
    {
        KdeSimdPath.Auto when Vector512.IsHardwareAccelerated => KdeSimdPath.Vector512,
        KdeSimdPath.Auto when Vector256.IsHardwareAccelerated => KdeSimdPath.Vector256,
        KdeSimdPath.Auto => KdeSimdPath.Scalar,
        KdeSimdPath.Vector512 when !Vector512.IsHardwareAccelerated => Resolve(KdeSimdPath.Vector256),
        KdeSimdPath.Vector256 when !Vector256.IsHardwareAccelerated => KdeSimdPath.Scalar,
        _ => path,
    };
}
