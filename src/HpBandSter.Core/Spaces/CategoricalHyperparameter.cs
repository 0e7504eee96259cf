using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace HpBandSter.Spaces;

/// <summary>
/// One of a list of unordered choices, drawn with probabilities proportional to <see cref="Weights"/> (uniformly without weights)
/// (ConfigSpace <c>CategoricalHyperparameter</c>, JSON <c>categorical</c>). Vector entry: the choice index as a double.
/// </summary>
public sealed class CategoricalHyperparameter : Hyperparameter
{
    private readonly object[] _choices;
    private readonly double[] _probabilities;
    private readonly double[] _cumulative;

    /// <summary>Creates the hyperparameter; the default is the first choice.</summary>
    /// <param name="name">The name.</param>
    /// <param name="choices">The choices: strings, integers, floats or bools, no duplicates.</param>
    /// <param name="defaultValue">The default choice, or null for the first.</param>
    /// <param name="weights">Relative sampling weights (one per choice, non-negative, not all zero), or null for uniform.</param>
    /// <exception cref="ArgumentException">Choices, default or weights are invalid; the message says which.</exception>
    public CategoricalHyperparameter(string name, IEnumerable<object> choices, object? defaultValue = null, IEnumerable<double>? weights = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(choices);
        _choices = ReadChoices(name, choices, "choice");
        if (weights is not null)
        {
            var w = weights.ToArray();
            if (w.Length != _choices.Length)
            {
                throw new ArgumentException($"Hyperparameter '{name}' has {_choices.Length} choices but {w.Length} weights; give one weight per choice.");
            }

            if (w.Any(x => !double.IsFinite(x) || x < 0))
            {
                throw new ArgumentException($"Hyperparameter '{name}': weights must be finite and non-negative, got [{string.Join(", ", w.Select(x => HyperparameterValues.Repr(x)))}].");
            }

            if (w.All(x => x == 0))
            {
                throw new ArgumentException($"Hyperparameter '{name}': at least one weight must be positive.");
            }

            Weights = w;
            var sum = w.Sum();
            _probabilities = w.Select(x => x / sum).ToArray();
        }
        else
        {
            _probabilities = Enumerable.Repeat(1.0 / _choices.Length, _choices.Length).ToArray();
        }

        _cumulative = new double[_probabilities.Length];
        var acc = 0.0;
        for (var i = 0; i < _probabilities.Length; i++)
        {
            acc += _probabilities[i];
            _cumulative[i] = acc;
        }

        DefaultValue = defaultValue is null ? _choices[0] : FindChoice(name, _choices, defaultValue, "default value");
    }

    /// <summary>The choices, in order (the vector entry is an index into this list).</summary>
    public IReadOnlyList<object> Choices => _choices;

    /// <summary>The weights as given, or null when sampling is uniform.</summary>
    public IReadOnlyList<double>? Weights { get; }

    /// <summary>The sampling probability of each choice (the normalised weights).</summary>
    public IReadOnlyList<double> Probabilities => _probabilities;

    /// <inheritdoc />
    public override object DefaultValue { get; }

    /// <inheritdoc />
    public override bool IsCategorical => true;

    /// <inheritdoc />
    public override int ChoiceCount => _choices.Length;

    /// <inheritdoc />
    internal override string TypeTag => "categorical";

    /// <inheritdoc />
    public override object? FromVectorValue(double vectorValue) => ChoiceAt(_choices, vectorValue);

    /// <inheritdoc />
    public override string DescribeDomain() => "one of " + HyperparameterValues.ReprSet(_choices);

    /// <summary>Describes the hyperparameter as ConfigSpace does.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder($"{Name}, Type: Categorical, Choices: {{{string.Join(", ", _choices.Select(Configuration.FormatValue))}}}, Default: {Configuration.FormatValue(DefaultValue)}");
        if (Weights is not null)
        {
            sb.Append(", Weights: [").Append(string.Join(", ", Weights.Select(w => HyperparameterValues.Repr(w)))).Append(']');
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    internal override bool TryNormalize(object? value, [NotNullWhen(true)] out object? normalized)
    {
        var i = HyperparameterValues.IndexOfChoice(_choices, value);
        normalized = i >= 0 ? _choices[i] : null;
        return normalized is not null;
    }

    /// <inheritdoc />
    internal override double UnitOf(object normalized) => HyperparameterValues.IndexOfChoice(_choices, normalized);

    /// <inheritdoc />
    internal override object SampleValue(RandomSource rng)
    {
        var u = rng.NextDouble();
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (u < _cumulative[i] && _probabilities[i] > 0)
            {
                return _choices[i];
            }
        }

        // u fell in the rounding gap above the last cumulative sum: take the last choice that can be drawn.
        for (var i = _choices.Length - 1; ; i--)
        {
            if (_probabilities[i] > 0)
            {
                return _choices[i];
            }
        }
    }

    /// <inheritdoc />
    internal override double KeyOf(object normalized) => HyperparameterValues.IndexOfChoice(_choices, normalized);

    /// <summary>Validates and normalizes a list of choices or sequence elements.</summary>
    internal static object[] ReadChoices(string name, IEnumerable<object> items, string what)
    {
        var list = new List<object>();
        foreach (var item in items)
        {
            var choice = HyperparameterValues.NormalizeChoice(name, item, what);
            if (HyperparameterValues.IndexOfChoice(list, choice) >= 0)
            {
                throw new ArgumentException($"Hyperparameter '{name}': the {what} {HyperparameterValues.Repr(choice)} appears more than once; each must be unique.");
            }

            list.Add(choice);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException($"Hyperparameter '{name}' needs at least one {what}.");
        }

        return [.. list];
    }

    /// <summary>The stored choice equal to <paramref name="value"/>.</summary>
    internal static object FindChoice(string name, object[] choices, object value, string what)
    {
        var i = HyperparameterValues.IndexOfChoice(choices, value);
        return i >= 0
            ? choices[i]
            : throw new ArgumentException($"Hyperparameter '{name}': the {what} {HyperparameterValues.Repr(value)} is not one of {HyperparameterValues.ReprSet(choices)}.");
    }

    /// <summary>ConfigSpace's decoding of an index: null for NaN/∞, a fractional index, or an index out of range.</summary>
    internal static object? ChoiceAt(object[] choices, double index)
    {
        if (!double.IsFinite(index) || index % 1 != 0 || index < 0 || index >= choices.Length)
        {
            return null;
        }

        return choices[(int)index];
    }
}
