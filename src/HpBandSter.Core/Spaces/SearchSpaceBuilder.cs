namespace HpBandSter.Spaces;

/// <summary>
/// Defines a <see cref="ConfigurationSpace"/> in code:
/// <code>
/// var space = new SearchSpaceBuilder()
///     .Float("lr", 1e-6, 1e-1, log: true, defaultValue: 1e-2)
///     .Categorical("optimizer", "Adam", "SGD")
///     .Float("sgd_momentum", 0, 0.99, defaultValue: 0.9)
///     .Condition(Condition.Equals("sgd_momentum", "optimizer", "SGD"))
///     .Integer("layers", 1, 3)
///     .Forbid(ForbiddenClause.And(ForbiddenClause.Equals("optimizer", "SGD"), ForbiddenClause.Equals("layers", 3)))
///     .Build();
/// </code>
/// Order does not matter: everything is checked by <see cref="Build"/>.
/// </summary>
public sealed class SearchSpaceBuilder
{
    private readonly List<Hyperparameter> _hyperparameters = [];
    private readonly List<Condition> _conditions = [];
    private readonly List<ForbiddenClause> _forbiddens = [];
    private string? _name;

    /// <summary>Names the space.</summary>
    public SearchSpaceBuilder Named(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>Adds a uniform (log-uniform with <paramref name="log"/>) float, optionally quantised by <paramref name="q"/>.</summary>
    public SearchSpaceBuilder Float(string name, double lower, double upper, double? defaultValue = null, bool log = false, double? q = null) =>
        Add(new UniformFloatHyperparameter(name, lower, upper, defaultValue, log, q));

    /// <summary>Adds a uniform (log-uniform with <paramref name="log"/>) integer, optionally a multiple of <paramref name="q"/>.</summary>
    public SearchSpaceBuilder Integer(string name, long lower, long upper, long? defaultValue = null, bool log = false, long? q = null) =>
        Add(new UniformIntegerHyperparameter(name, lower, upper, defaultValue, log, q));

    /// <summary>Adds a normal float N(mu, sigma²), truncated to [lower, upper] if both are given.</summary>
    public SearchSpaceBuilder NormalFloat(string name, double mu, double sigma, double? lower = null, double? upper = null, double? defaultValue = null, bool log = false, double? q = null) =>
        Add(new NormalFloatHyperparameter(name, mu, sigma, lower, upper, defaultValue, log, q));

    /// <summary>Adds a rounded normal integer, truncated to [lower, upper] if both are given.</summary>
    public SearchSpaceBuilder NormalInteger(string name, double mu, double sigma, long? lower = null, long? upper = null, long? defaultValue = null, bool log = false, long? q = null) =>
        Add(new NormalIntegerHyperparameter(name, mu, sigma, lower, upper, defaultValue, log, q));

    /// <summary>Adds a categorical with uniform weights; the default is the first choice.</summary>
    public SearchSpaceBuilder Categorical(string name, params object[] choices) => Add(new CategoricalHyperparameter(name, choices));

    /// <summary>Adds a categorical with optional weights and default.</summary>
    public SearchSpaceBuilder Categorical(string name, IEnumerable<object> choices, IEnumerable<double>? weights = null, object? defaultValue = null) =>
        Add(new CategoricalHyperparameter(name, choices, defaultValue, weights));

    /// <summary>Adds an ordinal (ordered choices); the default is the first element.</summary>
    public SearchSpaceBuilder Ordinal(string name, params object[] sequence) => Add(new OrdinalHyperparameter(name, sequence));

    /// <summary>Adds an ordinal with a default.</summary>
    public SearchSpaceBuilder Ordinal(string name, IEnumerable<object> sequence, object? defaultValue) => Add(new OrdinalHyperparameter(name, sequence, defaultValue));

    /// <summary>Adds a constant.</summary>
    public SearchSpaceBuilder Constant(string name, object value) => Add(new ConstantHyperparameter(name, value));

    /// <summary>Adds any hyperparameter.</summary>
    public SearchSpaceBuilder Add(Hyperparameter hyperparameter)
    {
        ArgumentNullException.ThrowIfNull(hyperparameter);
        _hyperparameters.Add(hyperparameter);
        return this;
    }

    /// <summary>Adds a condition (one per child; combine several with <see cref="Spaces.Condition.And"/> or <see cref="Spaces.Condition.Or"/>).</summary>
    public SearchSpaceBuilder Condition(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        _conditions.Add(condition);
        return this;
    }

    /// <summary>Adds a forbidden clause.</summary>
    public SearchSpaceBuilder Forbid(ForbiddenClause clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        _forbiddens.Add(clause);
        return this;
    }

    /// <summary>Builds and validates the space.</summary>
    /// <exception cref="ArgumentException">Something is inconsistent; the message names it.</exception>
    public ConfigurationSpace Build() => new(_hyperparameters, _conditions, _forbiddens, _name);
}
