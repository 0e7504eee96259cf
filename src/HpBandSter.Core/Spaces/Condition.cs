namespace HpBandSter.Spaces;

/// <summary>
/// When a hyperparameter (the <see cref="Child"/>) is active: it is active only if all its parents are active and the
/// condition holds (ConfigSpace conditions; JSON types EQ, NEQ, LT, GT, IN, AND, OR). A child has at most one condition;
/// combine several with <see cref="And"/> or <see cref="Or"/>.
/// </summary>
public abstract class Condition
{
    private protected Condition(string child)
    {
        if (string.IsNullOrWhiteSpace(child))
        {
            throw new ArgumentException("A condition needs the name of the child hyperparameter it activates.", nameof(child));
        }

        Child = child;
    }

    /// <summary>The hyperparameter whose activity the condition decides.</summary>
    public string Child { get; }

    /// <summary>The hyperparameters the condition reads, without repeats, in order of appearance.</summary>
    public abstract IReadOnlyList<string> Parents { get; }

    /// <summary>The ConfigSpace JSON <c>type</c> tag.</summary>
    internal abstract string TypeTag { get; }

    /// <summary><paramref name="child"/> is active when <paramref name="parent"/> equals <paramref name="value"/>.</summary>
    public static EqualsCondition Equals(string child, string parent, object value) => new(child, parent, value);

    /// <summary><paramref name="child"/> is active when <paramref name="parent"/> differs from <paramref name="value"/>.</summary>
    public static NotEqualsCondition NotEquals(string child, string parent, object value) => new(child, parent, value);

    /// <summary><paramref name="child"/> is active when <paramref name="parent"/> (numeric or ordinal) is below <paramref name="value"/>.</summary>
    public static LessThanCondition LessThan(string child, string parent, object value) => new(child, parent, value);

    /// <summary><paramref name="child"/> is active when <paramref name="parent"/> (numeric or ordinal) is above <paramref name="value"/>.</summary>
    public static GreaterThanCondition GreaterThan(string child, string parent, object value) => new(child, parent, value);

    /// <summary><paramref name="child"/> is active when <paramref name="parent"/> is one of <paramref name="values"/>.</summary>
    public static InCondition In(string child, string parent, params object[] values) => new(child, parent, values);

    /// <summary>Active when every component holds (all for the same child).</summary>
    public static AndConjunction And(params Condition[] components) => new(components);

    /// <summary>Active when any component holds (all for the same child; all parents must still be active).</summary>
    public static OrConjunction Or(params Condition[] components) => new(components);

    /// <summary>Checks names and values against the space and returns the evaluator over the key vector.</summary>
    internal abstract ConditionEvaluator Bind(SpaceIndex space);

    /// <summary>The condition without the leading <c>child | </c>, e.g. <c>optimizer == 'SGD'</c>.</summary>
    internal abstract string Describe();

    /// <summary>ConfigSpace's text, e.g. <c>sgd_momentum | optimizer == 'SGD'</c>.</summary>
    public override string ToString() => $"{Child} | {Describe()}";
}

/// <summary>A condition on one parent hyperparameter.</summary>
public abstract class ParentCondition : Condition
{
    private readonly string[] _parents;

    private protected ParentCondition(string child, string parent)
        : base(child)
    {
        if (string.IsNullOrWhiteSpace(parent))
        {
            throw new ArgumentException($"The condition on '{child}' needs the name of its parent hyperparameter.", nameof(parent));
        }

        Parent = parent;
        _parents = [parent];
    }

    /// <summary>The hyperparameter the condition reads.</summary>
    public string Parent { get; }

    /// <inheritdoc />
    public override IReadOnlyList<string> Parents => _parents;
}

/// <summary>A condition comparing the parent with one value (EQ, NEQ, LT, GT).</summary>
public abstract class ValueCondition : ParentCondition
{
    private protected ValueCondition(string child, string parent, object value)
        : base(child, parent)
    {
        Value = HyperparameterValues.NormalizeChoice(child, value, $"the value of the condition on parent '{parent}'");
    }

    /// <summary>The value the parent is compared with.</summary>
    public object Value { get; }

    private protected abstract ComparisonOperator Operator { get; }

    /// <inheritdoc />
    internal override string Describe() => $"{Parent} {Operator.Symbol()} {HyperparameterValues.Repr(Value)}";

    /// <inheritdoc />
    internal override ConditionEvaluator Bind(SpaceIndex space)
    {
        var p = space.Resolve(Parent, $"Condition '{this}'");
        var hp = space[p];
        if (Operator is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual) && !hp.IsOrdered)
        {
            throw new ArgumentException($"Condition '{this}': '{Operator.Symbol()}' needs a numeric or ordinal parent, but '{Parent}' is {hp.TypeTag}.");
        }

        if (!hp.TryNormalize(Value, out var normalized))
        {
            throw new ArgumentException($"Condition '{this}': {HyperparameterValues.Repr(Value)} is not a legal value of '{Parent}', which takes {hp.DescribeDomain()}.");
        }

        return new ConditionEvaluator.Compare(p, Operator, hp.KeyOf(normalized));
    }
}

/// <summary>Active when the parent equals the value (ConfigSpace <c>EqualsCondition</c>, JSON EQ).</summary>
public sealed class EqualsCondition : ValueCondition
{
    /// <summary>Creates the condition.</summary>
    public EqualsCondition(string child, string parent, object value)
        : base(child, parent, value)
    {
    }

    /// <inheritdoc />
    internal override string TypeTag => "EQ";

    private protected override ComparisonOperator Operator => ComparisonOperator.Equal;
}

/// <summary>Active when the parent differs from the value (ConfigSpace <c>NotEqualsCondition</c>, JSON NEQ).</summary>
public sealed class NotEqualsCondition : ValueCondition
{
    /// <summary>Creates the condition.</summary>
    public NotEqualsCondition(string child, string parent, object value)
        : base(child, parent, value)
    {
    }

    /// <inheritdoc />
    internal override string TypeTag => "NEQ";

    private protected override ComparisonOperator Operator => ComparisonOperator.NotEqual;
}

/// <summary>Active when the (numeric or ordinal) parent is below the value (ConfigSpace <c>LessThanCondition</c>, JSON LT).</summary>
public sealed class LessThanCondition : ValueCondition
{
    /// <summary>Creates the condition.</summary>
    public LessThanCondition(string child, string parent, object value)
        : base(child, parent, value)
    {
    }

    /// <inheritdoc />
    internal override string TypeTag => "LT";

    private protected override ComparisonOperator Operator => ComparisonOperator.LessThan;
}

/// <summary>Active when the (numeric or ordinal) parent is above the value (ConfigSpace <c>GreaterThanCondition</c>, JSON GT).</summary>
public sealed class GreaterThanCondition : ValueCondition
{
    /// <summary>Creates the condition.</summary>
    public GreaterThanCondition(string child, string parent, object value)
        : base(child, parent, value)
    {
    }

    /// <inheritdoc />
    internal override string TypeTag => "GT";

    private protected override ComparisonOperator Operator => ComparisonOperator.GreaterThan;
}

/// <summary>Active when the parent is one of the values (ConfigSpace <c>InCondition</c>, JSON IN).</summary>
public sealed class InCondition : ParentCondition
{
    private readonly object[] _values;

    /// <summary>Creates the condition.</summary>
    public InCondition(string child, string parent, IEnumerable<object> values)
        : base(child, parent)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.Select(v => HyperparameterValues.NormalizeChoice(child, v, $"a value of the IN condition on parent '{parent}'")).ToArray();
        if (_values.Length == 0)
        {
            throw new ArgumentException($"The IN condition of '{child}' on '{parent}' needs at least one value.");
        }
    }

    /// <summary>The values that activate the child.</summary>
    public IReadOnlyList<object> Values => _values;

    /// <inheritdoc />
    internal override string TypeTag => "IN";

    /// <inheritdoc />
    internal override string Describe() => $"{Parent} in {HyperparameterValues.ReprSet(_values)}";

    /// <inheritdoc />
    internal override ConditionEvaluator Bind(SpaceIndex space)
    {
        var p = space.Resolve(Parent, $"Condition '{this}'");
        var hp = space[p];
        var keys = new double[_values.Length];
        for (var i = 0; i < _values.Length; i++)
        {
            if (!hp.TryNormalize(_values[i], out var normalized))
            {
                throw new ArgumentException($"Condition '{this}': {HyperparameterValues.Repr(_values[i])} is not a legal value of '{Parent}', which takes {hp.DescribeDomain()}.");
            }

            keys[i] = hp.KeyOf(normalized);
        }

        return new ConditionEvaluator.InSet(p, keys);
    }
}

/// <summary>Several conditions on the same child combined (AND or OR).</summary>
public abstract class ConditionConjunction : Condition
{
    private readonly Condition[] _components;
    private readonly string[] _parents;

    private protected ConditionConjunction(Condition[] components)
        : base(FirstChild(components))
    {
        _components = [.. components];
        foreach (var c in _components)
        {
            if (c.Child != Child)
            {
                throw new ArgumentException($"All parts of a conjunction must be conditions on the same child, but '{c}' is on '{c.Child}' and '{_components[0]}' on '{Child}'.", nameof(components));
            }
        }

        _parents = _components.SelectMany(c => c.Parents).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The combined conditions.</summary>
    public IReadOnlyList<Condition> Components => _components;

    /// <inheritdoc />
    public override IReadOnlyList<string> Parents => _parents;

    private protected abstract string Junctor { get; }

    /// <inheritdoc />
    internal override string Describe() => "(" + string.Join($" {Junctor} ", _components.Select(c => c.Describe())) + ")";

    /// <inheritdoc />
    public override string ToString() => "(" + string.Join($" {Junctor} ", _components.Select(c => c.ToString())) + ")";

    private protected ConditionEvaluator[] BindComponents(SpaceIndex space) => _components.Select(c => c.Bind(space)).ToArray();

    private static string FirstChild(Condition[] components)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Length == 0 || components.Any(c => c is null))
        {
            throw new ArgumentException("A conjunction needs at least one condition, and none may be null.", nameof(components));
        }

        return components[0].Child;
    }
}

/// <summary>Active when every component holds (ConfigSpace <c>AndConjunction</c>, JSON AND).</summary>
public sealed class AndConjunction : ConditionConjunction
{
    /// <summary>Creates the conjunction.</summary>
    public AndConjunction(params Condition[] components)
        : base(components)
    {
    }

    /// <inheritdoc />
    internal override string TypeTag => "AND";

    private protected override string Junctor => "&&";

    /// <inheritdoc />
    internal override ConditionEvaluator Bind(SpaceIndex space) => new ConditionEvaluator.All(BindComponents(space));
}

/// <summary>Active when any component holds, all parents being active (ConfigSpace <c>OrConjunction</c>, JSON OR).</summary>
public sealed class OrConjunction : ConditionConjunction
{
    /// <summary>Creates the conjunction.</summary>
    public OrConjunction(params Condition[] components)
        : base(components)
    {
    }

    /// <inheritdoc />
    internal override string TypeTag => "OR";

    private protected override string Junctor => "||";

    /// <inheritdoc />
    internal override ConditionEvaluator Bind(SpaceIndex space) => new ConditionEvaluator.Any(BindComponents(space));
}
