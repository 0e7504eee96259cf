namespace HpBandSter.Spaces;

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
