using System.Diagnostics.CodeAnalysis;

namespace HpBandSter.Spaces;

/// <summary>
/// One of an ordered sequence of values, drawn uniformly (ConfigSpace <c>OrdinalHyperparameter</c>, JSON <c>ordinal</c>).
/// Vector entry: the position in the sequence as a double. &lt; and &gt; compare positions.
/// </summary>
/// <remarks>HpBandSter's BOHB refuses ordinal hyperparameters; the space itself supports them.</remarks>
public sealed class OrdinalHyperparameter : Hyperparameter
{
    private readonly object[] _sequence;

    /// <summary>Creates the hyperparameter; the default is the first element.</summary>
    /// <exception cref="ArgumentException">The sequence is empty or has duplicates, or the default is not in it.</exception>
    public OrdinalHyperparameter(string name, IEnumerable<object> sequence, object? defaultValue = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        _sequence = CategoricalHyperparameter.ReadChoices(name, sequence, "sequence element");
        DefaultValue = defaultValue is null ? _sequence[0] : CategoricalHyperparameter.FindChoice(name, _sequence, defaultValue, "default value");
    }

    /// <summary>The values in order.</summary>
    public IReadOnlyList<object> Sequence => _sequence;

    /// <inheritdoc />
    public override object DefaultValue { get; }

    /// <inheritdoc />
    public override bool IsCategorical => true;

    /// <inheritdoc />
    public override int ChoiceCount => _sequence.Length;

    /// <inheritdoc />
    internal override string TypeTag => "ordinal";

    /// <inheritdoc />
    internal override bool IsOrdered => true;

    /// <inheritdoc />
    public override object? FromVectorValue(double vectorValue) => CategoricalHyperparameter.ChoiceAt(_sequence, vectorValue);

    /// <inheritdoc />
    public override string DescribeDomain() => "one of the sequence " + HyperparameterValues.ReprSet(_sequence);

    /// <summary>Describes the hyperparameter as ConfigSpace does.</summary>
    public override string ToString() =>
        $"{Name}, Type: Ordinal, Sequence: {{{string.Join(", ", _sequence.Select(Configuration.FormatValue))}}}, Default: {Configuration.FormatValue(DefaultValue)}";

    /// <inheritdoc />
    internal override bool TryNormalize(object? value, [NotNullWhen(true)] out object? normalized)
    {
        var i = HyperparameterValues.IndexOfChoice(_sequence, value);
        normalized = i >= 0 ? _sequence[i] : null;
        return normalized is not null;
    }

    /// <inheritdoc />
    internal override double UnitOf(object normalized) => HyperparameterValues.IndexOfChoice(_sequence, normalized);

    /// <inheritdoc />
    internal override object SampleValue(RandomSource rng) => _sequence[rng.Next(_sequence.Length)];

    /// <inheritdoc />
    internal override double KeyOf(object normalized) => HyperparameterValues.IndexOfChoice(_sequence, normalized);
}
