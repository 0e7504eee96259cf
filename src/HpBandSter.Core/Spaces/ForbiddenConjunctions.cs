namespace HpBandSter.Spaces;

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
