using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HpBandSter.Sampling.Kde;

/// <summary>
/// An inlinable vector <c>exp</c> (the framework's <c>Vector512.Exp</c> is an out-of-line call, which forces every
/// vector register to be spilled around it in the KDE's hot loop).
/// </summary>
/// <remarks>
/// <c>exp(x) = 2^n · e^r</c> with <c>n = round(x / ln 2)</c> (by the 1.5·2^52 rounding trick), a two-part ln 2
/// (Cody–Waite), and the degree-12 Taylor polynomial for <c>e^r</c> on |r| ≤ ln2/2 (truncation error &lt; 2e-16).
/// Relative error about 1e-15 against <see cref="Math.Exp"/>. Results below 2^−1022 (x &lt; −708) are flushed to 0
/// rather than returned as subnormals, x &gt; 709 gives +∞, NaN stays NaN.
/// </remarks>
internal static class VectorExp
{
    internal const double Lower = -708.0;
    internal const double Upper = 709.0;

    // One comparison tells whether any lane is outside [Lower, Upper] (NaN lanes are not, and stay NaN).
    private const double Middle = (Lower + Upper) / 2;
    private const double HalfWidth = (Upper - Lower) / 2;

    private const double Log2E = 1.4426950408889634;
    private const double Magic = 6755399441055744.0; // 1.5 · 2^52
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;

    private const double C2 = 1.0 / 2;
    private const double C3 = 1.0 / 6;
    private const double C4 = 1.0 / 24;
    private const double C5 = 1.0 / 120;
    private const double C6 = 1.0 / 720;
    private const double C7 = 1.0 / 5040;
    private const double C8 = 1.0 / 40320;
    private const double C9 = 1.0 / 362880;
    private const double C10 = 1.0 / 3628800;
    private const double C11 = 1.0 / 39916800;
    private const double C12 = 1.0 / 479001600;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> x)
    {
        var t = Vector512.MultiplyAddEstimate(x, Vector512.Create(Log2E), Vector512.Create(Magic));
        var n = t - Vector512.Create(Magic);
        var r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(C12), r, Vector512.Create(C11));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C10));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C9));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C8));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C7));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C6));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C5));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C4));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C3));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C2));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<double>.One);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<double>.One);
        var scale = Vector512.ShiftLeft(t.AsInt64() + Vector512.Create(1023L), 52).AsDouble();
        var result = p * scale;
        if (Vector512.GreaterThanOrEqualAny(Vector512.Abs(x - Vector512.Create(Middle)), Vector512.Create(HalfWidth)))
        {
            result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Lower)), Vector512<double>.Zero, result);
            result = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Upper)), Vector512.Create(double.PositiveInfinity), result);
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        var t = Vector256.MultiplyAddEstimate(x, Vector256.Create(Log2E), Vector256.Create(Magic));
        var n = t - Vector256.Create(Magic);
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(C12), r, Vector256.Create(C11));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C10));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C9));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C8));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C7));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C6));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C5));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C4));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C3));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C2));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<double>.One);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<double>.One);
        var scale = Vector256.ShiftLeft(t.AsInt64() + Vector256.Create(1023L), 52).AsDouble();
        var result = p * scale;
        if (Vector256.GreaterThanOrEqualAny(Vector256.Abs(x - Vector256.Create(Middle)), Vector256.Create(HalfWidth)))
        {
            result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lower)), Vector256<double>.Zero, result);
            result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Upper)), Vector256.Create(double.PositiveInfinity), result);
        }

        return result;
    }
}
