using System.Collections;
using System.Globalization;
using System.Text;

namespace HpBandSter.Spaces;

/// <summary>
/// The values of the active hyperparameters of one configuration, in the search space's order
/// (HpBandSter's config dictionary). Inactive hyperparameters are absent.
/// </summary>
/// <remarks>
/// Values are <see cref="double"/> (float hyperparameters), <see cref="long"/> (integer hyperparameters),
/// or, for categorical, ordinal and constant hyperparameters, whichever of <see cref="string"/>,
/// <see cref="long"/>, <see cref="double"/> and <see cref="bool"/> the choice is. Two configurations are
/// equal when they hold the same names with equal values, whatever the order.
/// </remarks>
public sealed class Configuration : IReadOnlyDictionary<string, object>, IEquatable<Configuration>
{
    private readonly KeyValuePair<string, object>[] _items;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a configuration from name/value pairs (in the order given).</summary>
    /// <exception cref="ArgumentException">A name repeats, or a value is not one of the supported types.</exception>
    public Configuration(IEnumerable<KeyValuePair<string, object>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _items = values.Select(kv => new KeyValuePair<string, object>(kv.Key, Normalize(kv.Key, kv.Value))).ToArray();
        _index = new Dictionary<string, int>(_items.Length, StringComparer.Ordinal);
        for (var i = 0; i < _items.Length; i++)
        {
            if (!_index.TryAdd(_items[i].Key, i))
            {
                throw new ArgumentException($"Hyperparameter '{_items[i].Key}' appears twice in the configuration.", nameof(values));
            }
        }
    }

    /// <summary>The empty configuration.</summary>
    public static Configuration Empty { get; } = new([]);

    /// <inheritdoc />
    public object this[string key] => _index.TryGetValue(key, out var i)
        ? _items[i].Value
        : throw new KeyNotFoundException($"Hyperparameter '{key}' is not active in this configuration.");

    /// <inheritdoc />
    public IEnumerable<string> Keys => _items.Select(kv => kv.Key);

    /// <inheritdoc />
    public IEnumerable<object> Values => _items.Select(kv => kv.Value);

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out object value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _items[i].Value;
            return true;
        }

        value = null!;
        return false;
    }

    /// <summary>The value of a numeric hyperparameter as a double.</summary>
    public double GetDouble(string name) => this[name] switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        var other => throw new InvalidCastException($"Hyperparameter '{name}' has the non-numeric value '{other}'."),
    };

    /// <summary>The value of an integer hyperparameter.</summary>
    public long GetInt64(string name) => this[name] switch
    {
        long l => l,
        double d when d == Math.Floor(d) => (long)d,
        var other => throw new InvalidCastException($"Hyperparameter '{name}' has the non-integer value '{other}'."),
    };

    /// <summary>The value of a hyperparameter as text (invariant culture).</summary>
    public string GetString(string name) => FormatValue(this[name]);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(Configuration? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        foreach (var (key, value) in _items)
        {
            if (!other.TryGetValue(key, out var theirs) || !ValuesEqual(value, theirs))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Configuration);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = 0;
        foreach (var (key, value) in _items)
        {
            hash ^= HashCode.Combine(key, value);
        }

        return hash;
    }

    /// <summary>Shows the configuration as <c>{a: 1, b: 'x'}</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        foreach (var (key, value) in _items)
        {
            if (sb.Length > 1)
            {
                sb.Append(", ");
            }

            sb.Append(key).Append(": ").Append(value is string s ? $"'{s}'" : FormatValue(value));
        }

        return sb.Append('}').ToString();
    }

    /// <summary>Formats a hyperparameter value with the invariant culture (round-trip precision for doubles).</summary>
    public static string FormatValue(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "True" : "False",
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>Whether two hyperparameter values are equal (numbers compare by value across long/double).</summary>
    public static bool ValuesEqual(object a, object b) => (a, b) switch
    {
        (long x, long y) => x == y,
        (double x, double y) => x.Equals(y),
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        _ => a.Equals(b),
    };

    private static object Normalize(string name, object? value) => value switch
    {
        null => throw new ArgumentException($"Hyperparameter '{name}' has no value (null); leave inactive hyperparameters out instead.", nameof(value)),
        double or long or string or bool => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        _ => throw new ArgumentException($"Hyperparameter '{name}' has a value of type {value.GetType().Name}; supported are double, long, string and bool.", nameof(value)),
    };
}
