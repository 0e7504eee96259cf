using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace HpBandSter.Spaces;

/// <summary>
/// A float drawn uniformly from [<see cref="Lower"/>, <see cref="Upper"/>], or log-uniformly when <see cref="Log"/> is set,
/// optionally quantised to multiples of <see cref="Q"/> (ConfigSpace <c>UniformFloatHyperparameter</c>, JSON <c>uniform_float</c>).
/// </summary>
/// <remarks>
/// Vector entry: the (log-)linear position in the range, in [0, 1]. With <see cref="Q"/> set, ConfigSpace 0.4.x widens the
/// internal range by <c>q/2 − 0.0001</c> on each side, so the bounds do not map to exactly 0 and 1; this is reproduced.
/// </remarks>
public sealed class UniformFloatHyperparameter : Hyperparameter
{
    private readonly UnitScale _scale;

    /// <summary>Creates the hyperparameter; the default is the midpoint (the geometric midpoint on a log scale).</summary>
    /// <exception cref="ArgumentException">Bounds, default, log or q are inconsistent; the message says which.</exception>
    public UniformFloatHyperparameter(string name, double lower, double upper, double? defaultValue = null, bool log = false, double? q = null)
        : base(name)
    {
        if (!double.IsFinite(lower) || !double.IsFinite(upper))
        {
            throw new ArgumentException($"Hyperparameter '{name}': bounds must be finite numbers, got [{HyperparameterValues.Repr(lower)}, {HyperparameterValues.Repr(upper)}].");
        }

        if (lower >= upper)
        {
            throw new ArgumentException($"Hyperparameter '{name}': the lower bound {HyperparameterValues.Repr(lower)} must be smaller than the upper bound {HyperparameterValues.Repr(upper)}.");
        }

        if (log && lower <= 0)
        {
            throw new ArgumentException($"Hyperparameter '{name}' is on a log scale, so its lower bound must be positive (got {HyperparameterValues.Repr(lower)}). Use a positive lower bound or log = false.");
        }

        if (q is { } step)
        {
            if (!double.IsFinite(step) || step <= 0)
            {
                throw new ArgumentException($"Hyperparameter '{name}': the quantisation step q must be a positive number, got {HyperparameterValues.Repr(step)}.");
            }

            var remainder = Math.Round((upper - lower) % step, 10);
            if (remainder != 0 && remainder != step)
            {
                throw new ArgumentException($"Hyperparameter '{name}': upper − lower ({HyperparameterValues.Repr(upper - lower)}) must be a multiple of q ({HyperparameterValues.Repr(step)}).");
            }
        }

        Lower = lower;
        Upper = upper;
        Log = log;
        Q = q;
        var value = defaultValue ?? (log ? Math.Exp((Math.Log(lower) + Math.Log(upper)) / 2.0) : (lower + upper) / 2.0);
        if (!(value >= lower && value <= upper))
        {
            throw new ArgumentException($"Hyperparameter '{name}': the default value {HyperparameterValues.Repr(value)} is outside [{HyperparameterValues.Repr(lower)}, {HyperparameterValues.Repr(upper)}].");
        }

        Default = value;
        _scale = new UnitScale(name, lower, upper, log, q);
    }

    /// <summary>The lower bound (inclusive).</summary>
    public double Lower { get; }

    /// <summary>The upper bound (inclusive).</summary>
    public double Upper { get; }

    /// <summary>Whether values are drawn log-uniformly.</summary>
    public bool Log { get; }

    /// <summary>The quantisation step, or null.</summary>
    public double? Q { get; }

    /// <summary>The default value.</summary>
    public double Default { get; }

    /// <inheritdoc />
    public override object DefaultValue => Default;

    /// <inheritdoc />
    public override bool IsCategorical => false;

    /// <inheritdoc />
    public override bool IsNumeric => true;

    /// <inheritdoc />
    internal override string TypeTag => "uniform_float";

    /// <inheritdoc />
    public override object? FromVectorValue(double vectorValue) => double.IsNaN(vectorValue) ? null : _scale.ToValue(vectorValue);

    /// <inheritdoc />
    public override string DescribeDomain() =>
        $"a float in [{HyperparameterValues.Repr(Lower)}, {HyperparameterValues.Repr(Upper)}]";

    /// <summary>Describes the hyperparameter as ConfigSpace does.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Name}, Type: UniformFloat, Range: [{HyperparameterValues.Repr(Lower)}, {HyperparameterValues.Repr(Upper)}], Default: {HyperparameterValues.Repr(Default)}"));
        if (Log)
        {
            sb.Append(", on log-scale");
        }

        if (Q is { } q)
        {
            sb.Append(", Q: ").Append(HyperparameterValues.Repr(q));
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    internal override bool TryNormalize(object? value, [NotNullWhen(true)] out object? normalized)
    {
        if (value is not bool && HyperparameterValues.TryToDouble(value, out var d) && d >= Lower && d <= Upper)
        {
            normalized = d;
            return true;
        }

        normalized = null;
        return false;
    }

    /// <inheritdoc />
    internal override double UnitOf(object normalized) => _scale.ToUnit((double)normalized);

    /// <inheritdoc />
    internal override object SampleValue(RandomSource rng) => _scale.ToValue(rng.NextDouble());

    /// <inheritdoc />
    internal override double KeyOf(object normalized) => (double)normalized;
}
