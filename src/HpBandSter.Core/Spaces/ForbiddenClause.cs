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
