namespace HpBandSter.Sampling.Kde;

/// <summary>Which implementation <see cref="MultivariateKde.PdfBatch(ReadOnlySpan{double}, int, Span{double})"/> runs (tests and benchmarks pin one).</summary>
internal enum KdeSimdPath
{
    /// <summary>The widest accelerated one.</summary>
    Auto,

    /// <summary>512-bit vectors (AVX-512).</summary>
    Vector512,

    /// <summary>256-bit vectors (AVX2 / NEON pairs).</summary>
    Vector256,

    /// <summary>One double at a time.</summary>
    Scalar,
}
