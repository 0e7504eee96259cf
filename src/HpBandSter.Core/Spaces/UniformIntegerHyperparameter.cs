using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace HpBandSter.Spaces;

/// <summary>
/// An integer drawn uniformly from [<see cref="Lower"/>, <see cref="Upper"/>], or log-uniformly when <see cref="Log"/> is set,
/// optionally a multiple of <see cref="Q"/> (ConfigSpace <c>UniformIntegerHyperparameter</c>, JSON <c>uniform_int</c>).
/// </summary>
/// <remarks>
/// As in ConfigSpace 0.4.x the vector entry is that of an inner float on [lower − 0.49999, upper + 0.49999] (same log and q),
/// and decoding rounds half to even, so each integer owns an equal share of [0, 1] (an equal share of the log range on a log scale).
/// </remarks>
public sealed class UniformIntegerHyperparameter : Hyperparameter
{
    /// <summary>ConfigSpace's widening of integer ranges for the inner float.</summary>
    internal const double IntegerPadding = 0.49999;

    private readonly UnitScale _scale;

    /// <summary>Creates the hyperparameter; the default is the midpoint (geometric midpoint on a log scale), rounded half to even.</summary>
    /// <exception cref="ArgumentException">Bounds, default, log or q are inconsistent; the message says which.</exception>
    public UniformIntegerHyperparameter(string name, long lower, long upper, long? defaultValue = null, bool log = false, long? q = null)
        : base(name)
    {
        if (lower >= upper)
        {
            throw new ArgumentException($"Hyperparameter '{name}': the lower bound {lower} must be smaller than the upper bound {upper}.");
        }

        if (log && lower <= 0)
        {
            throw new ArgumentException($"Hyperparameter '{name}' is on a log scale, so its lower bound must be positive (got {lower}). Use a positive lower bound or log = false.");
        }

        if (q is { } step)
        {
            if (step < 1)
            {
                throw new ArgumentException($"Hyperparameter '{name}': the quantisation step q of an integer must be at least 1, got {step}.");
            }

            if ((upper - lower) % step != 0)
            {
                throw new ArgumentException($"Hyperparameter '{name}': upper − lower ({upper - lower}) must be a multiple of q ({step}).");
            }
        }

        Lower = lower;
        Upper = upper;
        Log = log;
        Q = q;
        var value = defaultValue ?? (long)Math.Round(
            log ? Math.Exp((Math.Log(lower) + Math.Log(upper)) / 2.0) : (lower + (double)upper) / 2.0,
            MidpointRounding.ToEven);
        if (value < lower || value > upper)
        {
            throw new ArgumentException($"Hyperparameter '{name}': the default value {value} is outside [{lower}, {upper}].");
        }

        Default = value;
        _scale = new UnitScale(name, lower - IntegerPadding, upper + IntegerPadding, log, q);
    }

    /// <summary>The lower bound (inclusive).</summary>
    public long Lower { get; }

    /// <summary>The upper bound (inclusive).</summary>
    public long Upper { get; }

    /// <summary>Whether values are drawn log-uniformly.</summary>
    public bool Log { get; }

    /// <summary>The quantisation step, or null.</summary>
    public long? Q { get; }

    /// <summary>The default value.</summary>
    public long Default { get; }

    /// <inheritdoc />
    public override object DefaultValue => Default;

    /// <inheritdoc />
    public override bool IsCategorical => false;

    /// <inheritdoc />
    public override bool IsNumeric => true;

    /// <inheritdoc />
    internal override string TypeTag => "uniform_int";

    /// <inheritdoc />
    public override object? FromVectorValue(double vectorValue) => double.IsNaN(vectorValue) ? null : Decode(vectorValue);

    /// <inheritdoc />
    public override string DescribeDomain() => $"an integer in [{Lower}, {Upper}]";

    /// <summary>Describes the hyperparameter as ConfigSpace does.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Name}, Type: UniformInteger, Range: [{Lower}, {Upper}], Default: {Default}"));
        if (Log)
        {
            sb.Append(", on log-scale");
        }

        if (Q is { } q)
        {
            sb.Append(CultureInfo.InvariantCulture, $", Q: {q}");
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    internal override bool TryNormalize(object? value, [NotNullWhen(true)] out object? normalized)
    {
        if (value is not bool && HyperparameterValues.TryToInt64(value, out var l) && l >= Lower && l <= Upper)
        {
            normalized = l;
            return true;
        }

        normalized = null;
        return false;
    }

    /// <inheritdoc />
    internal override double UnitOf(object normalized) => _scale.ToUnit((long)normalized);

    /// <inheritdoc />
    internal override object SampleValue(RandomSource rng) => Decode(rng.NextDouble());

    /// <inheritdoc />
    internal override double KeyOf(object normalized) => (long)normalized;

    private long Decode(double unit)
    {
        var x = _scale.ToValue(unit);
        if (Q is { } q)
        {
            x = (long)Math.Round(x / q, MidpointRounding.ToEven) * q;
        }

        // ConfigSpace's grid is the multiples of q, which need not include the bounds; keep the result legal.
        return Math.Clamp((long)Math.Round(x, MidpointRounding.ToEven), Lower, Upper);
    }
}
