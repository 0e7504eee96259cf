using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace HpBandSter.Spaces;

/// <summary>
/// A float drawn from a normal distribution N(<see cref="Mu"/>, <see cref="Sigma"/>²), truncated to
/// [<see cref="Lower"/>, <see cref="Upper"/>] when bounds are given (ConfigSpace <c>NormalFloatHyperparameter</c>,
/// JSON <c>normal_float</c>; 0.4.x has no bounds, 1.x requires them).
/// </summary>
/// <remarks>
/// <para>With <see cref="Log"/> set, the logarithm of the value is normal with mean <see cref="Mu"/> and standard deviation
/// <see cref="Sigma"/> (ConfigSpace 0.4.x's meaning; 1.x instead reads mu as a value).</para>
/// <para>Vector entry: without bounds, the raw value (its logarithm on a log scale), NOT normalised to [0, 1], exactly as
/// ConfigSpace 0.4.x; with bounds, the (log-)linear position in [lower, upper] as in 1.x.</para>
/// </remarks>
public sealed class NormalFloatHyperparameter : Hyperparameter
{
    private const int MaxSampleAttempts = 1000;
    private readonly UnitScale? _scale;

    /// <summary>Creates the hyperparameter; the default is mu (exp(mu) on a log scale), clipped to the bounds if any.</summary>
    /// <exception cref="ArgumentException">The parameters are inconsistent; the message says which.</exception>
    public NormalFloatHyperparameter(string name, double mu, double sigma, double? lower = null, double? upper = null, double? defaultValue = null, bool log = false, double? q = null)
        : base(name)
    {
        if (!double.IsFinite(mu) || !double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentException($"Hyperparameter '{name}': mu must be finite and sigma a positive number, got mu = {HyperparameterValues.Repr(mu)}, sigma = {HyperparameterValues.Repr(sigma)}.");
        }

        if (lower.HasValue != upper.HasValue)
        {
            throw new ArgumentException($"Hyperparameter '{name}': give both bounds (lower and upper) or neither.");
        }

        if (lower is { } lo && upper is { } hi)
        {
            if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo >= hi)
            {
                throw new ArgumentException($"Hyperparameter '{name}': the bounds must be finite with lower < upper, got [{HyperparameterValues.Repr(lo)}, {HyperparameterValues.Repr(hi)}].");
            }

            if (log && lo <= 0)
            {
                throw new ArgumentException($"Hyperparameter '{name}' is on a log scale, so its lower bound must be positive (got {HyperparameterValues.Repr(lo)}).");
            }

            _scale = new UnitScale(name, lo, hi, log, null);
        }

        if (q is { } step && (!double.IsFinite(step) || step <= 0))
        {
            throw new ArgumentException($"Hyperparameter '{name}': the quantisation step q must be a positive number, got {HyperparameterValues.Repr(step)}.");
        }

        Mu = mu;
        Sigma = sigma;
        Lower = lower;
        Upper = upper;
        Log = log;
        Q = q;
        var value = defaultValue ?? (log ? Math.Exp(mu) : mu);
        if (defaultValue is null && lower is { } l && upper is { } u)
        {
            value = Math.Clamp(value, l, u);
        }

        if (!TryNormalize(value, out _))
        {
            throw new ArgumentException($"Hyperparameter '{name}': the default value {HyperparameterValues.Repr(value)} is not {DescribeDomain()}.");
        }

        Default = value;
    }

    /// <summary>The mean (of the logarithm on a log scale).</summary>
    public double Mu { get; }

    /// <summary>The standard deviation (of the logarithm on a log scale).</summary>
    public double Sigma { get; }

    /// <summary>The lower bound, or null when unbounded (ConfigSpace 0.4.x).</summary>
    public double? Lower { get; }

    /// <summary>The upper bound, or null when unbounded.</summary>
    public double? Upper { get; }

    /// <summary>Whether bounds are set (and the vector entry is normalised).</summary>
    public bool IsBounded => _scale is not null;

    /// <summary>Whether the logarithm of the value is normal.</summary>
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
    internal override string TypeTag => "normal_float";

    /// <inheritdoc />
    public override object? FromVectorValue(double vectorValue)
    {
        if (double.IsNaN(vectorValue))
        {
            return null;
        }

        double x;
        if (_scale is null)
        {
            x = Log ? Math.Exp(vectorValue) : vectorValue;
            x = Quantise(x);
        }
        else
        {
            x = Math.Clamp(Quantise(_scale.ToValue(vectorValue)), _scale.Lower, _scale.Upper);
        }

        return double.IsFinite(x) ? x : null;
    }

    /// <inheritdoc />
    public override string DescribeDomain() => (_scale, Log) switch
    {
        (null, false) => "a finite float",
        (null, true) => "a positive float",
        _ => $"a float in [{HyperparameterValues.Repr(Lower)}, {HyperparameterValues.Repr(Upper)}]",
    };

    /// <summary>Describes the hyperparameter as ConfigSpace does.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Name}, Type: NormalFloat, Mu: {HyperparameterValues.Repr(Mu)} Sigma: {HyperparameterValues.Repr(Sigma)}"));
        if (_scale is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $", Range: [{HyperparameterValues.Repr(Lower)}, {HyperparameterValues.Repr(Upper)}]");
        }

        sb.Append(", Default: ").Append(HyperparameterValues.Repr(Default));
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
        if (value is not bool && HyperparameterValues.TryToDouble(value, out var d) && double.IsFinite(d)
            && (!Log || d > 0) && (_scale is null || (d >= _scale.Lower && d <= _scale.Upper)))
        {
            normalized = d;
            return true;
        }

        normalized = null;
        return false;
    }

    /// <inheritdoc />
    internal override double UnitOf(object normalized)
    {
        var x = (double)normalized;
        return _scale is null ? (Log ? Math.Log(x) : x) : _scale.ToUnit(x);
    }

    /// <inheritdoc />
    internal override object SampleValue(RandomSource rng)
    {
        for (var attempt = 0; attempt < MaxSampleAttempts; attempt++)
        {
            double x;
            if (_scale is null)
            {
                x = Mu + (Sigma * rng.NextGaussian());
            }
            else
            {
                var (lo, hi) = Log ? (Math.Log(_scale.Lower), Math.Log(_scale.Upper)) : (_scale.Lower, _scale.Upper);
                x = TruncatedNormal.Sample(rng, Mu, Sigma, lo, hi);
            }

            x = Quantise(Log ? Math.Exp(x) : x);
            if (_scale is not null)
            {
                x = Math.Clamp(x, _scale.Lower, _scale.Upper);
            }

            if (TryNormalize(x, out var value))
            {
                return value;
            }
        }

        throw new InvalidOperationException($"Hyperparameter '{Name}': {MaxSampleAttempts} draws in a row were not {DescribeDomain()} (q = {HyperparameterValues.Repr(Q)} rounds them away); use a smaller q.");
    }

    /// <inheritdoc />
    internal override double KeyOf(object normalized) => (double)normalized;

    private double Quantise(double x) => Q is { } q ? Math.Round(x / q, MidpointRounding.ToEven) * q : x;
}
