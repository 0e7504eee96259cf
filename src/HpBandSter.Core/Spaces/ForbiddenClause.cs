namespace HpBandSter.Spaces;

/// <summary>
/// A combination of values that must never be sampled or accepted (ConfigSpace forbidden clauses). A clause only applies
/// when the hyperparameters it names are active: a clause on an inactive hyperparameter never forbids anything.
/// </summary>
public abstract class ForbiddenClause
{
    private protected ForbiddenClause()
    {
    }

    /// <summary>The hyperparameters the clause reads, without repeats.</summary>
    public abstract IReadOnlyList<string> HyperparameterNames { get; }

    /// <summary>The ConfigSpace JSON <c>type</c> tag.</summary>
    internal abstract string TypeTag { get; }

    /// <summary>Forbids <paramref name="name"/> == <paramref name="value"/> (JSON EQUALS).</summary>
    public static ForbiddenEqualsClause Equals(string name, object value) => new(name, value);

    /// <summary>Forbids <paramref name="name"/> taking any of <paramref name="values"/> (JSON IN).</summary>
    public static ForbiddenInClause In(string name, params object[] values) => new(name, values);

    /// <summary>Forbids <paramref name="name"/> &lt; <paramref name="value"/> (numeric or ordinal; JSON CLAUSE_LT).</summary>
    public static ForbiddenComparisonClause LessThan(string name, object value) => new(name, ComparisonOperator.LessThan, value);

    /// <summary>Forbids <paramref name="name"/> &lt;= <paramref name="value"/> (JSON CLAUSE_LE).</summary>
    public static ForbiddenComparisonClause LessThanOrEqual(string name, object value) => new(name, ComparisonOperator.LessThanOrEqual, value);

    /// <summary>Forbids <paramref name="name"/> &gt; <paramref name="value"/> (JSON CLAUSE_GT).</summary>
    public static ForbiddenComparisonClause GreaterThan(string name, object value) => new(name, ComparisonOperator.GreaterThan, value);

    /// <summary>Forbids <paramref name="name"/> &gt;= <paramref name="value"/> (JSON CLAUSE_GE).</summary>
    public static ForbiddenComparisonClause GreaterThanOrEqual(string name, object value) => new(name, ComparisonOperator.GreaterThanOrEqual, value);

    /// <summary>Forbids configurations where every clause applies (JSON AND).</summary>
    public static ForbiddenAndConjunction And(params ForbiddenClause[] clauses) => new(clauses);

    /// <summary>Forbids configurations where any clause applies (JSON OR).</summary>
    public static ForbiddenOrConjunction Or(params ForbiddenClause[] clauses) => new(clauses);

    /// <summary>Forbids configurations where <paramref name="left"/> <paramref name="op"/> <paramref name="right"/> holds between two values (JSON RELATION_*).</summary>
    public static ForbiddenRelation Relation(string left, ComparisonOperator op, string right) => new(left, op, right);

    /// <summary>Checks names and values against the space and returns the evaluator.</summary>
    internal abstract ForbiddenEvaluator Bind(SpaceIndex space);

    /// <summary>The clause as ConfigSpace prints it, e.g. <c>Forbidden: size == 'large'</c>.</summary>
    public abstract override string ToString();
}

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

/// <summary>Several forbidden clauses combined (AND or OR).</summary>
public abstract class ForbiddenConjunction : ForbiddenClause
{
    private readonly ForbiddenClause[] _components;
    private readonly string[] _names;

    private protected ForbiddenConjunction(ForbiddenClause[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length == 0 || components.Any(c => c is null))
        {
            throw new ArgumentException("A forbidden conjunction needs at least one clause, and none may be null.", nameof(components));
        }

        _components = [.. components];
        _names = _components.SelectMany(c => c.HyperparameterNames).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The combined clauses.</summary>
    public IReadOnlyList<ForbiddenClause> Components => _components;

    /// <inheritdoc />
    public override IReadOnlyList<string> HyperparameterNames => _names;

    private protected abstract string Junctor { get; }

    /// <inheritdoc />
    public override string ToString() => "(" + string.Join($" {Junctor} ", _components.Select(c => c.ToString())) + ")";

    private protected ForbiddenEvaluator[] BindComponents(SpaceIndex space) => _components.Select(c => c.Bind(space)).ToArray();
}

/// <summary>Forbids configurations where every clause applies (ConfigSpace <c>ForbiddenAndConjunction</c>, JSON AND).</summary>
public sealed class ForbiddenAndConjunction : ForbiddenConjunction
{
    /// <summary>Creates the conjunction.</summary>
    public ForbiddenAndConjunction(params ForbiddenClause[] components)
        : base(components)
    {
    }

    /// <inheritdoc />
    internal override string TypeTag => "AND";

    private protected override string Junctor => "&&";

    /// <inheritdoc />
    internal override ForbiddenEvaluator Bind(SpaceIndex space) => new ForbiddenEvaluator.All(BindComponents(space));
}

/// <summary>Forbids configurations where any clause applies (ConfigSpace 1.x <c>ForbiddenOrConjunction</c>, JSON OR).</summary>
public sealed class ForbiddenOrConjunction : ForbiddenConjunction
{
    /// <summary>Creates the conjunction.</summary>
    public ForbiddenOrConjunction(params ForbiddenClause[] components)
        : base(components)
    {
    }

    /// <inheritdoc />
    internal override string TypeTag => "OR";

    private protected override string Junctor => "||";

    /// <inheritdoc />
    internal override ForbiddenEvaluator Bind(SpaceIndex space) => new ForbiddenEvaluator.Any(BindComponents(space));
}

/// <summary>
/// Forbids a relation between the values of two hyperparameters (ConfigSpace 0.6+ <c>ForbiddenLessThanRelation</c>,
/// <c>ForbiddenEqualsRelation</c>, <c>ForbiddenGreaterThanRelation</c>, and 1.x's &lt;= and &gt;= forms; JSON RELATION_LT/LE/EQ/GT/GE,
/// or 0.6's RELATION with a lambda). Values are compared as numbers when both are numbers, as text when both are text;
/// values of different kinds are never equal, less or greater.
/// </summary>
public sealed class ForbiddenRelation : ForbiddenClause
{
    private readonly string[] _names;

    /// <summary>Creates the relation.</summary>
    public ForbiddenRelation(string left, ComparisonOperator op, string right)
    {
        if (string.IsNullOrWhiteSpace(left) || string.IsNullOrWhiteSpace(right))
        {
            throw new ArgumentException("A forbidden relation needs the names of two hyperparameters.");
        }

        if (op == ComparisonOperator.NotEqual)
        {
            throw new ArgumentException($"The forbidden relation between '{left}' and '{right}' takes <, <=, ==, > or >=.", nameof(op));
        }

        Left = left;
        Operator = op;
        Right = right;
        _names = left == right ? [left] : [left, right];
    }

    /// <summary>The left hyperparameter.</summary>
    public string Left { get; }

    /// <summary>The relation that is forbidden.</summary>
    public ComparisonOperator Operator { get; }

    /// <summary>The right hyperparameter.</summary>
    public string Right { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> HyperparameterNames => _names;

    /// <inheritdoc />
    internal override string TypeTag => Operator switch
    {
        ComparisonOperator.LessThan => "RELATION_LT",
        ComparisonOperator.LessThanOrEqual => "RELATION_LE",
        ComparisonOperator.Equal => "RELATION_EQ",
        ComparisonOperator.GreaterThan => "RELATION_GT",
        _ => "RELATION_GE",
    };

    /// <inheritdoc />
    public override string ToString() => $"Forbidden: {Left} {Operator.Symbol()} {Right}";

    /// <inheritdoc />
    internal override ForbiddenEvaluator Bind(SpaceIndex space)
    {
        var l = space.Resolve(Left, $"Forbidden relation '{this}'");
        var r = space.Resolve(Right, $"Forbidden relation '{this}'");
        if (l == r)
        {
            throw new ArgumentException($"Forbidden relation '{this}' compares '{Left}' with itself; name two different hyperparameters.");
        }

        return new ForbiddenEvaluator.Relation(l, Operator, r);
    }
}
