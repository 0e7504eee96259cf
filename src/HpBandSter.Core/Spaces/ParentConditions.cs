namespace HpBandSter.Spaces;

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
