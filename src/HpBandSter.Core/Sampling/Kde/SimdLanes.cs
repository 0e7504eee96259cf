using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HpBandSter.Sampling.Kde;

/// <summary>
/// The few lane-wise operations the KDE kernel needs, so that one generic loop serves 512-bit, 256-bit and scalar
/// code. Implemented by empty structs; the JIT specialises and inlines every call.
/// </summary>
/// <typeparam name="TV">The register type (a vector of doubles, or a double).</typeparam>
internal interface ISimdLanes<TV>
    where TV : unmanaged
{
    /// <summary>Doubles per register.</summary>
    static abstract int Width { get; }

    static abstract TV Splat(double value);

    static abstract TV Load(ref double origin, nuint offset);

    static abstract TV Add(TV left, TV right);

    static abstract TV Subtract(TV left, TV right);

    static abstract TV Multiply(TV left, TV right);

    /// <summary><c>a * b + c</c>, fused where the hardware can.</summary>
    static abstract TV MultiplyAdd(TV a, TV b, TV c);

    static abstract TV Exp(TV value);

    /// <summary>Lane-wise <c>left == right ? ifEqual : otherwise</c>.</summary>
    static abstract TV SelectEqual(TV left, TV right, TV ifEqual, TV otherwise);

    /// <summary>Zeroes the lanes at index <paramref name="lanes"/> and above (NaN lanes included).</summary>
    static abstract TV KeepFirst(TV value, int lanes);

    static abstract double Sum(TV value);
}

/// <summary>AVX-512 lanes.</summary>
internal readonly struct Lanes512 : ISimdLanes<Vector512<double>>
{
    public static int Width => Vector512<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Splat(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(ref double origin, nuint offset) => Vector512.LoadUnsafe(ref origin, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> left, Vector512<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> left, Vector512<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> left, Vector512<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> MultiplyAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) =>
        Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Exp(Vector512<double> value) => VectorExp.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> SelectEqual(Vector512<double> left, Vector512<double> right, Vector512<double> ifEqual, Vector512<double> otherwise) =>
        Vector512.ConditionalSelect(Vector512.Equals(left, right), ifEqual, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> KeepFirst(Vector512<double> value, int lanes) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512<double>.Indices, Vector512.Create((double)lanes)), value, Vector512<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector512<double> value) => Vector512.Sum(value);
}

/// <summary>AVX2 lanes.</summary>
internal readonly struct Lanes256 : ISimdLanes<Vector256<double>>
{
    public static int Width => Vector256<double>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Splat(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(ref double origin, nuint offset) => Vector256.LoadUnsafe(ref origin, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> left, Vector256<double> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> left, Vector256<double> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> left, Vector256<double> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MultiplyAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> value) => VectorExp.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SelectEqual(Vector256<double> left, Vector256<double> right, Vector256<double> ifEqual, Vector256<double> otherwise) =>
        Vector256.ConditionalSelect(Vector256.Equals(left, right), ifEqual, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> KeepFirst(Vector256<double> value, int lanes) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256<double>.Indices, Vector256.Create((double)lanes)), value, Vector256<double>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> value) => Vector256.Sum(value);
}

/// <summary>One double per "register": the portable fallback.</summary>
internal readonly struct LanesScalar : ISimdLanes<double>
{
    public static int Width => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Splat(double value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Load(ref double origin, nuint offset) => Unsafe.Add(ref origin, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Add(double left, double right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Subtract(double left, double right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Multiply(double left, double right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MultiplyAdd(double a, double b, double c) => (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Exp(double value) => Math.Exp(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SelectEqual(double left, double right, double ifEqual, double otherwise) =>
        left == right ? ifEqual : otherwise;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KeepFirst(double value, int lanes) => lanes > 0 ? value : 0.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(double value) => value;
}
