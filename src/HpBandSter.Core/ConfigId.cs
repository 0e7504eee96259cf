using System.Globalization;

namespace HpBandSter;

/// <summary>
/// HpBandSter's configuration id <c>(iteration, stage at which sampled, index within that stage)</c>.
/// </summary>
/// <remarks>
/// The middle element is the successive-halving stage that was current when the configuration was sampled:
/// 0 for ordinary configurations, larger only when slots of a later stage are refilled after crashes.
/// Warm-start data uses iteration -1. Ordering is lexicographic, as Python orders tuples.
/// </remarks>
public readonly record struct ConfigId(int Iteration, int Stage, int Index) : IComparable<ConfigId>
{
    /// <inheritdoc />
    public int CompareTo(ConfigId other)
    {
        var c = Iteration.CompareTo(other.Iteration);
        if (c != 0)
        {
            return c;
        }

        c = Stage.CompareTo(other.Stage);
        return c != 0 ? c : Index.CompareTo(other.Index);
    }

    /// <summary>Formats as HpBandSter's JSON logs do: <c>[0, 0, 1]</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{Iteration}, {Stage}, {Index}]");

    /// <summary>Parses <c>[i, s, k]</c>, <c>(i, s, k)</c> or <c>i,s,k</c>.</summary>
    public static ConfigId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().TrimStart('[', '(').TrimEnd(']', ')').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var k))
        {
            throw new FormatException($"'{text}' is not a config id; expected three integers such as [0, 0, 1].");
        }

        return new ConfigId(i, s, k);
    }

    /// <summary>Orders ids as Python orders tuples.</summary>
    public static bool operator <(ConfigId left, ConfigId right) => left.CompareTo(right) < 0;

    /// <summary>Orders ids as Python orders tuples.</summary>
    public static bool operator >(ConfigId left, ConfigId right) => left.CompareTo(right) > 0;

    /// <summary>Orders ids as Python orders tuples.</summary>
    public static bool operator <=(ConfigId left, ConfigId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders ids as Python orders tuples.</summary>
    public static bool operator >=(ConfigId left, ConfigId right) => left.CompareTo(right) >= 0;
}
