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
