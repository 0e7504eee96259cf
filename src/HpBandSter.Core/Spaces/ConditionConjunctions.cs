namespace HpBandSter.Spaces;

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
