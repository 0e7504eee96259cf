using System.Diagnostics.CodeAnalysis;

namespace HpBandSter.Spaces;

/// <summary>
/// A hyperparameter with a single value (ConfigSpace <c>Constant</c>, JSON <c>constant</c>; 0.4.x's
/// <c>UnParametrizedHyperparameter</c>, JSON <c>unparametrized</c>, reads as this too). Vector entry: 0.
/// </summary>
public sealed class ConstantHyperparameter : Hyperparameter
{
    /// <summary>Creates the constant.</summary>
    /// <exception cref="ArgumentException">The value is null or not a string, integer, float or bool.</exception>
    public ConstantHyperparameter(string name, object value)
        : base(name)
    {
        Value = HyperparameterValues.NormalizeChoice(name, value, "the constant value");
    }

    /// <summary>The value.</summary>
    public object Value { get; }

    /// <inheritdoc />
    public override object DefaultValue => Value;

    /// <inheritdoc />
    public override bool IsCategorical => false;

    /// <inheritdoc />
    public override bool IsConstant => true;

    /// <inheritdoc />
    internal override string TypeTag => "constant";

    /// <summary>Any finite entry decodes to the value (as in ConfigSpace); NaN and ±∞ decode to null.</summary>
    public override object? FromVectorValue(double vectorValue) => double.IsFinite(vectorValue) ? Value : null;

    /// <inheritdoc />
    public override string DescribeDomain() => "only " + HyperparameterValues.Repr(Value);

    /// <summary>Describes the hyperparameter as ConfigSpace does.</summary>
    public override string ToString() => $"{Name}, Type: Constant, Value: {Configuration.FormatValue(Value)}";

    /// <inheritdoc />
    internal override bool TryNormalize(object? value, [NotNullWhen(true)] out object? normalized)
    {
        var ok = HyperparameterValues.IndexOfChoice([Value], value) == 0;
        normalized = ok ? Value : null;
        return ok;
    }

    /// <inheritdoc />
    internal override double UnitOf(object normalized) => 0.0;

    /// <inheritdoc />
    internal override object SampleValue(RandomSource rng) => Value;

    /// <inheritdoc />
    internal override double KeyOf(object normalized) => 0.0;
}
