using System.Text;

namespace HpBandSter.Spaces;

/// <summary>
/// A search space (ConfigSpace's <c>ConfigurationSpace</c>): hyperparameters, the conditions that make some of them
/// active only under others, and forbidden clauses. Immutable once built; all topology is precomputed, so sampling and the
/// vector conversions BOHB calls in its inner loop do no name look-ups beyond the configuration's own.
/// </summary>
/// <remarks>
/// <para>Hyperparameters are kept in ConfigSpace's vector order: by depth in the condition graph (unconditional ones
/// first), then alphabetically (ordinal comparison) within a depth.</para>
/// <para>A hyperparameter with a condition is active iff all of its condition's parents are active and the condition holds.
/// A forbidden clause applies only when the hyperparameters it names are active.</para>
/// </remarks>
public sealed class ConfigurationSpace
{
    /// <summary>How many rejected draws in a row <see cref="Sample"/> tolerates before it gives up.</summary>
    public const int MaxSamplingAttempts = 10_000;

    private readonly Hyperparameter[] _hyperparameters;
    private readonly Dictionary<string, int> _index;
    private readonly Condition?[] _conditionOf;
    private readonly ConditionEvaluator?[] _conditionEvaluators;
    private readonly int[][] _parents;
    private readonly int[][] _children;
    private readonly Condition[] _conditions;
    private readonly ForbiddenClause[] _forbiddens;
    private readonly ForbiddenEvaluator[] _forbiddenEvaluators;

    /// <summary>Builds and validates a space.</summary>
    /// <param name="hyperparameters">The hyperparameters, in any order (they are sorted into vector order).</param>
    /// <param name="conditions">At most one condition per child (combine several with AND/OR); parents must exist; no cycles.</param>
    /// <param name="forbiddens">Forbidden clauses; the default configuration must not be forbidden.</param>
    /// <param name="name">An optional name (written to JSON).</param>
    /// <exception cref="ArgumentException">Something is inconsistent; the message names the hyperparameter, condition or clause.</exception>
    public ConfigurationSpace(
        IEnumerable<Hyperparameter> hyperparameters,
        IEnumerable<Condition>? conditions = null,
        IEnumerable<ForbiddenClause>? forbiddens = null,
        string? name = null)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        Name = name;
        var given = hyperparameters.ToList();
        var byName = new Dictionary<string, Hyperparameter>(StringComparer.Ordinal);
        foreach (var hp in given)
        {
            if (hp is null)
            {
                throw new ArgumentException("The list of hyperparameters contains null.", nameof(hyperparameters));
            }

            if (!byName.TryAdd(hp.Name, hp))
            {
                throw new ArgumentException($"Hyperparameter '{hp.Name}' is defined twice; names must be unique.", nameof(hyperparameters));
            }
        }

        var conditionByChild = ReadConditions(conditions, byName);
        _hyperparameters = SortIntoVectorOrder(byName, conditionByChild);
        _index = new Dictionary<string, int>(_hyperparameters.Length, StringComparer.Ordinal);
        for (var i = 0; i < _hyperparameters.Length; i++)
        {
            _index[_hyperparameters[i].Name] = i;
        }

        var space = new SpaceIndex(_hyperparameters, _index);
        var n = _hyperparameters.Length;
        _conditionOf = new Condition?[n];
        _conditionEvaluators = new ConditionEvaluator?[n];
        _parents = new int[n][];
        var children = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < n; i++)
        {
            if (conditionByChild.TryGetValue(_hyperparameters[i].Name, out var condition))
            {
                _conditionOf[i] = condition;
                _conditionEvaluators[i] = condition.Bind(space);
                _parents[i] = condition.Parents.Select(p => _index[p]).ToArray();
                foreach (var p in _parents[i])
                {
                    children[p].Add(i);
                }
            }
            else
            {
                _parents[i] = [];
            }
        }

        _children = children.Select(c => c.ToArray()).ToArray();
        _conditions = _conditionOf.OfType<Condition>().ToArray();
        _forbiddens = (forbiddens ?? []).ToArray();
        if (_forbiddens.Any(f => f is null))
        {
            throw new ArgumentException("The list of forbidden clauses contains null.", nameof(forbiddens));
        }

        _forbiddenEvaluators = _forbiddens.Select(f => f.Bind(space)).ToArray();
        DefaultConfiguration = BuildDefault();
    }

    /// <summary>The space's name, or null.</summary>
    public string? Name { get; }

    /// <summary>The hyperparameters in vector order.</summary>
    public IReadOnlyList<Hyperparameter> Hyperparameters => _hyperparameters;

    /// <summary>The number of hyperparameters (the vector length).</summary>
    public int Count => _hyperparameters.Length;

    /// <summary>The conditions, ordered by their child's vector position.</summary>
    public IReadOnlyList<Condition> Conditions => _conditions;

    /// <summary>The forbidden clauses, in the order given.</summary>
    public IReadOnlyList<ForbiddenClause> Forbiddens => _forbiddens;

    /// <summary>Each hyperparameter at its default, inactive ones left out.</summary>
    public Configuration DefaultConfiguration { get; }

    /// <summary>The hyperparameter called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such hyperparameter.</exception>
    public Hyperparameter this[string name] => _index.TryGetValue(name, out var i)
        ? _hyperparameters[i]
        : throw new KeyNotFoundException($"The space has no hyperparameter '{name}'; it has: {string.Join(", ", _hyperparameters.Select(h => h.Name))}.");

    /// <summary>The vector position of <paramref name="name"/>, or −1 if the space has no such hyperparameter.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Whether the space has a hyperparameter called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>The condition of <paramref name="name"/>, or null if it is unconditional.</summary>
    public Condition? GetCondition(string name) => _conditionOf[Position(name)];

    /// <summary>The hyperparameters <paramref name="name"/>'s condition reads (empty if unconditional).</summary>
    public IReadOnlyList<string> GetParents(string name) => _parents[Position(name)].Select(p => _hyperparameters[p].Name).ToArray();

    /// <summary>The hyperparameters whose condition reads <paramref name="name"/>.</summary>
    public IReadOnlyList<string> GetChildren(string name) => _children[Position(name)].Select(c => _hyperparameters[c].Name).ToArray();

    /// <summary>
    /// Whether <paramref name="name"/> is active given the values of (at least) its parents: unconditional ones always are;
    /// a conditional one is active iff every parent has a value in <paramref name="values"/> and the condition holds.
    /// </summary>
    /// <exception cref="ArgumentException">A parent's value is not legal.</exception>
    public bool IsActive(string name, IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var i = Position(name);
        var evaluator = _conditionEvaluators[i];
        if (evaluator is null)
        {
            return true;
        }

        var keys = new double[_hyperparameters.Length];
        Array.Fill(keys, double.NaN);
        foreach (var p in _parents[i])
        {
            var hp = _hyperparameters[p];
            if (!values.TryGetValue(hp.Name, out var value) || value is null)
            {
                return false;
            }

            keys[p] = hp.KeyOf(hp.Normalize(value));
        }

        return evaluator.Evaluate(keys);
    }

    /// <summary>
    /// Draws a configuration from the prior (uniform, log-uniform, normal, weighted categorical, uniform ordinal), honouring
    /// conditions, and rejecting forbidden draws.
    /// </summary>
    /// <exception cref="InvalidOperationException">The forbidden clauses rejected <see cref="MaxSamplingAttempts"/> draws in a row.</exception>
    public Configuration Sample(RandomSource rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var n = _hyperparameters.Length;
        var values = new object?[n];
        var keys = new double[n];
        for (var attempt = 0; attempt < MaxSamplingAttempts; attempt++)
        {
            for (var i = 0; i < n; i++)
            {
                if (IsActiveAt(i, keys))
                {
                    var hp = _hyperparameters[i];
                    var value = hp.SampleValue(rng);
                    values[i] = value;
                    keys[i] = hp.KeyOf(value);
                }
                else
                {
                    values[i] = null;
                    keys[i] = double.NaN;
                }
            }

            if (FindViolatedClause(keys, values) is null)
            {
                return ToConfiguration(values);
            }
        }

        throw new InvalidOperationException(
            $"Could not sample a configuration: the forbidden clauses rejected {MaxSamplingAttempts} draws in a row, so they exclude all or " +
            $"nearly all of the space. Relax or remove some of: {string.Join("; ", _forbiddens.Select(f => f.ToString()))}.");
    }

    /// <summary>The ConfigSpace 0.4.x vector of a configuration (NaN for inactive hyperparameters); see <see cref="ToVector(Configuration, Span{double})"/>.</summary>
    public double[] ToVector(Configuration configuration)
    {
        var vector = new double[_hyperparameters.Length];
        ToVector(configuration, vector);
        return vector;
    }

    /// <summary>
    /// Writes the ConfigSpace 0.4.x vector of a configuration (<c>get_array()</c>): per hyperparameter in vector order its
    /// <see cref="Hyperparameter.ToVectorValue"/>, NaN when it has no value. Activity is not checked here (see <see cref="Validate"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The destination has the wrong length, a name is unknown, or a value is illegal.</exception>
    public void ToVector(Configuration configuration, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (destination.Length != _hyperparameters.Length)
        {
            throw new ArgumentException($"The destination has {destination.Length} entries, but the space has {_hyperparameters.Length} hyperparameters.", nameof(destination));
        }

        var found = 0;
        for (var i = 0; i < _hyperparameters.Length; i++)
        {
            var hp = _hyperparameters[i];
            if (configuration.TryGetValue(hp.Name, out var value))
            {
                destination[i] = hp.ToVectorValue(value);
                found++;
            }
            else
            {
                destination[i] = double.NaN;
            }
        }

        if (found != configuration.Count)
        {
            var unknown = configuration.Keys.First(k => !_index.ContainsKey(k));
            throw new ArgumentException($"The configuration has a value for '{unknown}', which is not a hyperparameter of this space.", nameof(configuration));
        }
    }

    /// <summary>
    /// The configuration a vector decodes to, as HpBandSter gets it from <c>Configuration(cs, vector=v)</c> followed by
    /// <c>deactivate_inactive_hyperparameters</c>: each entry is decoded (scaled, rounded, quantised, clipped); entries of
    /// hyperparameters that are inactive under the decoded values are dropped, whatever they hold.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length, or an active entry does not decode (NaN, or a fractional or out-of-range index).</exception>
    /// <exception cref="ForbiddenConfigurationException">The decoded configuration is forbidden.</exception>
    public Configuration FromVector(ReadOnlySpan<double> vector)
    {
        var n = _hyperparameters.Length;
        if (vector.Length != n)
        {
            throw new ArgumentException($"The vector has {vector.Length} entries, but the space has {n} hyperparameters.", nameof(vector));
        }

        var values = new object?[n];
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (!IsActiveAt(i, keys))
            {
                keys[i] = double.NaN;
                continue;
            }

            var hp = _hyperparameters[i];
            var value = hp.FromVectorValue(vector[i]) ?? throw new ArgumentException(
                $"Vector entry {i} ({HyperparameterValues.Repr(vector[i])}) for the active hyperparameter '{hp.Name}' does not decode to a value " +
                (hp.IsCategorical ? $"(it must be an integer index in [0, {hp.ChoiceCount - 1}])." : "(it must be a number, not NaN)."),
                nameof(vector));
            values[i] = value;
            keys[i] = hp.KeyOf(value);
        }

        var configuration = ToConfiguration(values);
        if (FindViolatedClause(keys, values) is { } clause)
        {
            throw new ForbiddenConfigurationException(configuration, clause);
        }

        return configuration;
    }

    /// <summary>
    /// A configuration from name/value pairs, checked against the space: every name known, every value legal (numbers are
    /// converted: 2.0 for an integer, 1 for a float), every active hyperparameter present, no inactive one given, not forbidden.
    /// The result holds the values in vector order and canonical types.
    /// </summary>
    /// <exception cref="ArgumentException">The first problem found, naming the hyperparameter.</exception>
    /// <exception cref="ForbiddenConfigurationException">The configuration is forbidden.</exception>
    public Configuration CreateConfiguration(IEnumerable<KeyValuePair<string, object>> values) => Resolve(values, dropInactive: false);

    /// <summary>
    /// Like <see cref="CreateConfiguration"/>, but values of hyperparameters that are inactive are dropped instead of
    /// rejected (ConfigSpace's <c>deactivate_inactive_hyperparameters</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A name is unknown, a value illegal, or an active hyperparameter has no value.</exception>
    /// <exception cref="ForbiddenConfigurationException">The configuration is forbidden.</exception>
    public Configuration Deactivate(IEnumerable<KeyValuePair<string, object>> values) => Resolve(values, dropInactive: true);

    /// <summary>Checks a configuration against the space as <see cref="CreateConfiguration"/> does.</summary>
    /// <exception cref="ArgumentException">The first problem found, naming the hyperparameter.</exception>
    /// <exception cref="ForbiddenConfigurationException">The configuration is forbidden.</exception>
    public void Validate(Configuration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _ = Resolve(configuration, dropInactive: false);
    }

    /// <summary>The space as ConfigSpace JSON (see <see cref="ConfigSpaceJson.Write"/>).</summary>
    public string ToJson() => ConfigSpaceJson.Write(this);

    /// <summary>Reads ConfigSpace JSON (see <see cref="ConfigSpaceJson.Read"/>).</summary>
    public static ConfigurationSpace FromJson(string json) => ConfigSpaceJson.Read(json);

    /// <summary>Lists hyperparameters, conditions and forbidden clauses, one per line, as ConfigSpace prints a space.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Configuration space object:\n  Hyperparameters:\n");
        foreach (var hp in _hyperparameters)
        {
            sb.Append("    ").Append(hp).Append('\n');
        }

        if (_conditions.Length > 0)
        {
            sb.Append("  Conditions:\n");
            foreach (var c in _conditions)
            {
                sb.Append("    ").Append(c).Append('\n');
            }
        }

        if (_forbiddens.Length > 0)
        {
            sb.Append("  Forbidden Clauses:\n");
            foreach (var f in _forbiddens)
            {
                sb.Append("    ").Append(f).Append('\n');
            }
        }

        return sb.ToString();
    }

    private int Position(string name) => _index.TryGetValue(name, out var i)
        ? i
        : throw new KeyNotFoundException($"The space has no hyperparameter '{name}'.");

    private bool IsActiveAt(int i, double[] keys)
    {
        var evaluator = _conditionEvaluators[i];
        if (evaluator is null)
        {
            return true;
        }

        foreach (var p in _parents[i])
        {
            if (double.IsNaN(keys[p]))
            {
                return false;
            }
        }

        return evaluator.Evaluate(keys);
    }

    private ForbiddenClause? FindViolatedClause(double[] keys, object?[] values)
    {
        for (var f = 0; f < _forbiddenEvaluators.Length; f++)
        {
            if (_forbiddenEvaluators[f].IsForbidden(keys, values))
            {
                return _forbiddens[f];
            }
        }

        return null;
    }

    private Configuration ToConfiguration(object?[] values)
    {
        var count = 0;
        foreach (var v in values)
        {
            if (v is not null)
            {
                count++;
            }
        }

        var items = new KeyValuePair<string, object>[count];
        var k = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } v)
            {
                items[k++] = new KeyValuePair<string, object>(_hyperparameters[i].Name, v);
            }
        }

        return new Configuration(items);
    }

    private Configuration Resolve(IEnumerable<KeyValuePair<string, object>> values, bool dropInactive)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = _hyperparameters.Length;
        var given = new object?[n];
        var seen = new bool[n];
        foreach (var (name, value) in values)
        {
            if (!_index.TryGetValue(name, out var i))
            {
                throw new ArgumentException($"'{name}' is not a hyperparameter of this space; it has: {string.Join(", ", _hyperparameters.Select(h => h.Name))}.", nameof(values));
            }

            if (seen[i])
            {
                throw new ArgumentException($"Hyperparameter '{name}' is given twice.", nameof(values));
            }

            seen[i] = true;
            given[i] = _hyperparameters[i].Normalize(value);
        }

        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            var hp = _hyperparameters[i];
            if (IsActiveAt(i, keys))
            {
                if (given[i] is not { } value)
                {
                    var why = _conditionOf[i] is { } c ? $"is active (its condition '{c}' holds)" : "is unconditional, so always active,";
                    throw new ArgumentException($"Hyperparameter '{hp.Name}' {why} but has no value; give it one.", nameof(values));
                }

                keys[i] = hp.KeyOf(value);
            }
            else
            {
                if (given[i] is { } value && !dropInactive)
                {
                    throw new ArgumentException(
                        $"Hyperparameter '{hp.Name}' is inactive (its condition '{_conditionOf[i]}' does not hold or a parent is inactive) but was given " +
                        $"the value {HyperparameterValues.Repr(value)}; leave it out, or use Deactivate to drop such values.",
                        nameof(values));
                }

                given[i] = null;
                keys[i] = double.NaN;
            }
        }

        var configuration = ToConfiguration(given);
        if (FindViolatedClause(keys, given) is { } clause)
        {
            throw new ForbiddenConfigurationException(configuration, clause);
        }

        return configuration;
    }

    private Configuration BuildDefault()
    {
        var n = _hyperparameters.Length;
        var values = new object?[n];
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (IsActiveAt(i, keys))
            {
                var hp = _hyperparameters[i];
                values[i] = hp.DefaultValue;
                keys[i] = hp.KeyOf(hp.DefaultValue);
            }
            else
            {
                keys[i] = double.NaN;
            }
        }

        var configuration = ToConfiguration(values);
        if (FindViolatedClause(keys, values) is { } clause)
        {
            throw new ArgumentException($"The default configuration {configuration} is forbidden by '{clause}'; change a default value or the clause (ConfigSpace rejects such spaces too).");
        }

        return configuration;
    }

    private static Dictionary<string, Condition> ReadConditions(IEnumerable<Condition>? conditions, Dictionary<string, Hyperparameter> byName)
    {
        var byChild = new Dictionary<string, Condition>(StringComparer.Ordinal);
        foreach (var condition in conditions ?? [])
        {
            if (condition is null)
            {
                throw new ArgumentException("The list of conditions contains null.", nameof(conditions));
            }

            if (!byName.ContainsKey(condition.Child))
            {
                throw new ArgumentException($"Condition '{condition}' is on the unknown hyperparameter '{condition.Child}'; add it to the space first.", nameof(conditions));
            }

            foreach (var parent in condition.Parents)
            {
                if (!byName.ContainsKey(parent))
                {
                    throw new ArgumentException($"Condition '{condition}' refers to the unknown hyperparameter '{parent}'; add it to the space first.", nameof(conditions));
                }

                if (parent == condition.Child)
                {
                    throw new ArgumentException($"Condition '{condition}' makes '{parent}' depend on itself.", nameof(conditions));
                }
            }

            if (!byChild.TryAdd(condition.Child, condition))
            {
                throw new ArgumentException(
                    $"Hyperparameter '{condition.Child}' has two conditions, '{byChild[condition.Child]}' and '{condition}'; " +
                    "combine them into one with Condition.And(...) or Condition.Or(...).",
                    nameof(conditions));
            }
        }

        return byChild;
    }

    /// <summary>Depth in the condition graph (unconditional = 1, otherwise 1 + the deepest parent), then alphabetical.</summary>
    private static Hyperparameter[] SortIntoVectorOrder(Dictionary<string, Hyperparameter> byName, Dictionary<string, Condition> conditionByChild)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        var onPath = new List<string>();

        int DepthOf(string name)
        {
            if (depth.TryGetValue(name, out var known))
            {
                return known;
            }

            var at = onPath.IndexOf(name);
            if (at >= 0)
            {
                var cycle = onPath.Skip(at).Append(name);
                throw new ArgumentException($"The conditions form a cycle: {string.Join(" -> ", cycle)} (each depends on the next); remove one of these conditions.");
            }

            var d = 1;
            if (conditionByChild.TryGetValue(name, out var condition))
            {
                onPath.Add(name);
                foreach (var parent in condition.Parents)
                {
                    d = Math.Max(d, DepthOf(parent) + 1);
                }

                onPath.RemoveAt(onPath.Count - 1);
            }

            depth[name] = d;
            return d;
        }

        foreach (var name in byName.Keys)
        {
            DepthOf(name);
        }

        return byName.Values
            .OrderBy(h => depth[h.Name])
            .ThenBy(h => h.Name, StringComparer.Ordinal)
            .ToArray();
    }
}
