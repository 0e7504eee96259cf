using System.Diagnostics.CodeAnalysis;

namespace HpBandSter.Spaces;

/// <summary>
/// One dimension of a <see cref="ConfigurationSpace"/>: its name, legal values, default, prior and the
/// ConfigSpace 0.4.x vector encoding that BOHB's density estimator sees.
/// </summary>
public abstract class Hyperparameter
{
    private protected Hyperparameter(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A hyperparameter needs a non-empty name.", nameof(name));
        }

        Name = name;
    }

    /// <summary>The hyperparameter's name (unique within a space).</summary>
    public string Name { get; }

    /// <summary>The default value (double for floats, long for integers, the choice itself otherwise).</summary>
    public abstract object DefaultValue { get; }

    /// <summary>
    /// True for categorical and ordinal hyperparameters, whose vector entry is a choice index (0…<see cref="ChoiceCount"/>−1).
    /// </summary>
    public abstract bool IsCategorical { get; }

    /// <summary>The number of choices of a categorical or ordinal hyperparameter; 0 for the others.</summary>
    public virtual int ChoiceCount => 0;

    /// <summary>True for a constant, whose vector entry is always 0.</summary>
    public virtual bool IsConstant => false;

    /// <summary>True for float and integer hyperparameters (uniform or normal).</summary>
    public virtual bool IsNumeric => false;

    /// <summary>The ConfigSpace JSON <c>type</c> tag.</summary>
    internal abstract string TypeTag { get; }

    /// <summary>Whether &lt; and &gt; conditions/clauses may compare this hyperparameter (numeric or ordinal).</summary>
    internal virtual bool IsOrdered => IsNumeric;

    /// <summary>Whether <paramref name="value"/> is a legal value (numbers of the other kind are accepted when exact).</summary>
    public bool IsLegal(object? value) => TryNormalize(value, out _);

    /// <summary>The vector entry of a legal value (ConfigSpace's <c>_inverse_transform</c>).</summary>
    /// <exception cref="ArgumentException">The value is not legal for this hyperparameter.</exception>
    public double ToVectorValue(object value) => UnitOf(Normalize(value));

    /// <summary>
    /// The value a vector entry decodes to (ConfigSpace's <c>_transform</c>: scaling, rounding, quantisation, clipping),
    /// or null when the entry does not decode: NaN, or for a categorical/ordinal a non-integer or out-of-range index.
    /// </summary>
    public abstract object? FromVectorValue(double vectorValue);

    /// <summary>A short description of the legal values, for messages (e.g. "a float in [0, 1]").</summary>
    public abstract string DescribeDomain();

    /// <summary>The value brought to its canonical type and checked.</summary>
    /// <exception cref="ArgumentException">The value is not legal; the message names the hyperparameter.</exception>
    internal object Normalize(object? value)
    {
        if (!TryNormalize(value, out var normalized))
        {
            throw new ArgumentException(
                $"Value {HyperparameterValues.Repr(value)} ({value?.GetType().Name ?? "null"}) is not legal for hyperparameter '{Name}', which takes {DescribeDomain()}.",
                nameof(value));
        }

        return normalized;
    }

    /// <summary>Brings a value to the canonical type (double, long or the stored choice) if it is legal.</summary>
    internal abstract bool TryNormalize(object? value, [NotNullWhen(true)] out object? normalized);

    /// <summary>The vector entry of an already normalized value.</summary>
    internal abstract double UnitOf(object normalized);

    /// <summary>Draws a (normalized) value from the prior.</summary>
    internal abstract object SampleValue(RandomSource rng);

    /// <summary>
    /// The number conditions and forbidden clauses compare: the value itself for numeric hyperparameters,
    /// the choice index for categorical and ordinal ones, 0 for a constant.
    /// </summary>
    internal abstract double KeyOf(object normalized);
}
