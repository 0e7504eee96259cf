namespace HpBandSter.Spaces;

/// <summary>A forbidden clause on one hyperparameter.</summary>
public abstract class ForbiddenSingleClause : ForbiddenClause
{
    private readonly string[] _names;

    private protected ForbiddenSingleClause(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A forbidden clause needs the name of its hyperparameter.", nameof(name));
        }

        Name = name;
        _names = [name];
    }

    /// <summary>The hyperparameter the clause reads.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> HyperparameterNames => _names;

    private protected (int Index, Hyperparameter Hyperparameter) ResolveTarget(SpaceIndex space)
    {
        var i = space.Resolve(Name, $"Forbidden clause '{this}'");
        return (i, space[i]);
    }

    private protected double KeyOfLegal(Hyperparameter hp, object value)
    {
        if (!hp.TryNormalize(value, out var normalized))
        {
            throw new ArgumentException($"Forbidden clause '{this}': {HyperparameterValues.Repr(value)} is not a legal value of '{Name}', which takes {hp.DescribeDomain()}.");
        }

        return hp.KeyOf(normalized);
    }
}

/// <summary>Forbids one value (ConfigSpace <c>ForbiddenEqualsClause</c>, JSON EQUALS).</summary>
public sealed class ForbiddenEqualsClause : ForbiddenSingleClause
{
    /// <summary>Creates the clause.</summary>
    public ForbiddenEqualsClause(string name, object value)
        : base(name)
    {
        Value = HyperparameterValues.NormalizeChoice(name, value, "the value of a forbidden clause");
    }

    /// <summary>The forbidden value.</summary>
    public object Value { get; }

    /// <inheritdoc />
    internal override string TypeTag => "EQUALS";

    /// <inheritdoc />
    public override string ToString() => $"Forbidden: {Name} == {HyperparameterValues.Repr(Value)}";

    /// <inheritdoc />
    internal override ForbiddenEvaluator Bind(SpaceIndex space)
    {
        var (i, hp) = ResolveTarget(space);
        return new ForbiddenEvaluator.Compare(i, ComparisonOperator.Equal, KeyOfLegal(hp, Value));
    }
}

/// <summary>Forbids a set of values (ConfigSpace <c>ForbiddenInClause</c>, JSON IN).</summary>
public sealed class ForbiddenInClause : ForbiddenSingleClause
{
    private readonly object[] _values;

    /// <summary>Creates the clause.</summary>
    public ForbiddenInClause(string name, IEnumerable<object> values)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.Select(v => HyperparameterValues.NormalizeChoice(name, v, "a value of a forbidden IN clause")).ToArray();
        if (_values.Length == 0)
        {
            throw new ArgumentException($"The forbidden IN clause on '{name}' needs at least one value.");
        }
    }

    /// <summary>The forbidden values.</summary>
    public IReadOnlyList<object> Values => _values;

    /// <inheritdoc />
    internal override string TypeTag => "IN";

    /// <inheritdoc />
    public override string ToString() => $"Forbidden: {Name} in {HyperparameterValues.ReprSet(_values)}";

    /// <inheritdoc />
    internal override ForbiddenEvaluator Bind(SpaceIndex space)
    {
        var (i, hp) = ResolveTarget(space);
        return new ForbiddenEvaluator.InSet(i, _values.Select(v => KeyOfLegal(hp, v)).ToArray());
    }
}

/// <summary>
/// Forbids values below or above a threshold (ConfigSpace 1.x <c>ForbiddenLessThanClause</c> and friends; JSON CLAUSE_LT, CLAUSE_LE,
/// CLAUSE_GT, CLAUSE_GE). The hyperparameter must be numeric or ordinal (ordinals compare positions).
/// </summary>
public sealed class ForbiddenComparisonClause : ForbiddenSingleClause
{
    /// <summary>Creates the clause.</summary>
    public ForbiddenComparisonClause(string name, ComparisonOperator op, object value)
        : base(name)
    {
        if (op is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
        {
            throw new ArgumentException($"The forbidden comparison on '{name}' takes <, <=, > or >=; use ForbiddenClause.Equals or In for equality.", nameof(op));
        }

        Operator = op;
        Value = HyperparameterValues.NormalizeChoice(name, value, "the value of a forbidden comparison");
    }

    /// <summary>The comparison.</summary>
    public ComparisonOperator Operator { get; }

    /// <summary>The threshold.</summary>
    public object Value { get; }

    /// <inheritdoc />
    internal override string TypeTag => Operator switch
    {
        ComparisonOperator.LessThan => "CLAUSE_LT",
        ComparisonOperator.LessThanOrEqual => "CLAUSE_LE",
        ComparisonOperator.GreaterThan => "CLAUSE_GT",
        _ => "CLAUSE_GE",
    };

    /// <inheritdoc />
    public override string ToString() => $"Forbidden: {Name} {Operator.Symbol()} {HyperparameterValues.Repr(Value)}";

    /// <inheritdoc />
    internal override ForbiddenEvaluator Bind(SpaceIndex space)
    {
        var (i, hp) = ResolveTarget(space);
        if (!hp.IsOrdered)
        {
            throw new ArgumentException($"Forbidden clause '{this}': '{Operator.Symbol()}' needs a numeric or ordinal hyperparameter, but '{Name}' is {hp.TypeTag}.");
        }

        return new ForbiddenEvaluator.Compare(i, Operator, KeyOfLegal(hp, Value));
    }
}
