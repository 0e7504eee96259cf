using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace HpBandSter.Spaces;

/// <summary>
/// An integer drawn from a normal distribution N(<see cref="Mu"/>, <see cref="Sigma"/>²) and rounded, truncated to
/// [<see cref="Lower"/>, <see cref="Upper"/>] when bounds are given (ConfigSpace <c>NormalIntegerHyperparameter</c>, JSON <c>normal_int</c>).
/// </summary>
/// <remarks>
/// <para>With <see cref="Log"/> set, the logarithm of the value is normal (mean <see cref="Mu"/>, standard deviation <see cref="Sigma"/>),
/// and values are at least 1.</para>
/// <para>Vector entry: without bounds, the raw integer (its logarithm on a log scale) as ConfigSpace 0.4.x; with bounds, that of an inner
/// float on [lower − 0.49999, upper + 0.49999] as for <see cref="UniformIntegerHyperparameter"/>.</para>
/// </remarks>
public sealed class NormalIntegerHyperparameter : Hyperparameter
{
    private const int MaxSampleAttempts = 1000;
    private readonly UnitScale? _scale;

    /// <summary>Creates the hyperparameter; the default is mu (exp(mu) on a log scale) rounded, clipped to the bounds if any.</summary>
    /// <exception cref="ArgumentException">The parameters are inconsistent; the message says which.</exception>
    public NormalIntegerHyperparameter(string name, double mu, double sigma, long? lower = null, long? upper = null, long? defaultValue = null, bool log = false, long? q = null)
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
            if (lo >= hi)
            {
                throw new ArgumentException($"Hyperparameter '{name}': the lower bound {lo} must be smaller than the upper bound {hi}.");
            }

            if (log && lo <= 0)
            {
                throw new ArgumentException($"Hyperparameter '{name}' is on a log scale, so its lower bound must be positive (got {lo}).");
            }

            _scale = new UnitScale(name, lo - UniformIntegerHyperparameter.IntegerPadding, hi + UniformIntegerHyperparameter.IntegerPadding, log, null);
        }

        if (q is < 1)
        {
            throw new ArgumentException($"Hyperparameter '{name}': the quantisation step q of an integer must be at least 1, got {q}.");
        }

        Mu = mu;
        Sigma = sigma;
        Lower = lower;
        Upper = upper;
        Log = log;
        Q = q;
        var value = defaultValue ?? (long)Math.Round(log ? Math.Exp(mu) : mu, MidpointRounding.ToEven);
        if (defaultValue is null)
        {
            if (lower is { } l && upper is { } u)
            {
                value = Math.Clamp(value, l, u);
            }
            else if (log)
            {
                value = Math.Max(1, value);
            }
        }

        if (!TryNormalize(value, out _))
        {
            throw new ArgumentException($"Hyperparameter '{name}': the default value {value} is not {DescribeDomain()}.");
        }

        Default = value;
    }

    /// <summary>The mean (of the logarithm on a log scale).</summary>
    public double Mu { get; }

    /// <summary>The standard deviation (of the logarithm on a log scale).</summary>
    public double Sigma { get; }

    /// <summary>The lower bound, or null when unbounded (ConfigSpace 0.4.x).</summary>
    public long? Lower { get; }

    /// <summary>The upper bound, or null when unbounded.</summary>
    public long? Upper { get; }

    /// <summary>Whether bounds are set (and the vector entry is normalised).</summary>
    public bool IsBounded => _scale is not null;

    /// <summary>Whether the logarithm of the value is normal.</summary>
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
    internal override string TypeTag => "normal_int";

    /// <inheritdoc />
    public override object? FromVectorValue(double vectorValue)
    {
        if (double.IsNaN(vectorValue))
        {
            return null;
        }

        var x = _scale is null ? (Log ? Math.Exp(vectorValue) : vectorValue) : _scale.ToValue(vectorValue);
        if (Q is { } q)
        {
            x = Math.Round(x / q, MidpointRounding.ToEven) * q;
        }

        x = Math.Round(x, MidpointRounding.ToEven);
        if (!double.IsFinite(x) || Math.Abs(x) > 9e18)
        {
            return null;
        }

        var value = (long)x;
        if (Lower is { } l && Upper is { } u)
        {
            value = Math.Clamp(value, l, u);
        }

        return value;
    }

    /// <inheritdoc />
    public override string DescribeDomain() => (Lower, Log) switch
    {
        (null, false) => "an integer",
        (null, true) => "a positive integer",
        _ => $"an integer in [{Lower}, {Upper}]",
    };

    /// <summary>Describes the hyperparameter as ConfigSpace does.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Name}, Type: NormalInteger, Mu: {HyperparameterValues.Repr(Mu)} Sigma: {HyperparameterValues.Repr(Sigma)}"));
        if (Lower is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $", Range: [{Lower}, {Upper}]");
        }

        sb.Append(CultureInfo.InvariantCulture, $", Default: {Default}");
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
        if (value is not bool && HyperparameterValues.TryToInt64(value, out var l) && (!Log || l >= 1)
            && (Lower is null || (l >= Lower && l <= Upper)))
        {
            normalized = l;
            return true;
        }

        normalized = null;
        return false;
    }

    /// <inheritdoc />
    internal override double UnitOf(object normalized)
    {
        double x = (long)normalized;
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
                x = Log ? Math.Exp(x) : x;
            }
            else
            {
                // Truncate to the values that round into the bounds: [lower − ½, upper + ½].
                var lo = Lower!.Value - 0.5;
                var hi = Upper!.Value + 0.5;
                x = Log
                    ? Math.Exp(TruncatedNormal.Sample(rng, Mu, Sigma, Math.Log(lo), Math.Log(hi)))
                    : TruncatedNormal.Sample(rng, Mu, Sigma, lo, hi);
            }

            if (Q is { } q)
            {
                x = Math.Round(x / q, MidpointRounding.ToEven) * q;
            }

            x = Math.Round(x, MidpointRounding.ToEven);
            if (Lower is { } l && Upper is { } u)
            {
                x = Math.Clamp(x, l, u);
            }

            if (Math.Abs(x) < 9e18 && TryNormalize((long)x, out var value))
            {
                return value;
            }
        }

        throw new InvalidOperationException($"Hyperparameter '{Name}': {MaxSampleAttempts} draws in a row were not {DescribeDomain()}; check mu and sigma.");
    }

    /// <inheritdoc />
    internal override double KeyOf(object normalized) => (long)normalized;
}
