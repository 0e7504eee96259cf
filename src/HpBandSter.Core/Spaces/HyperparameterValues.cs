using System.Globalization;

namespace HpBandSter.Spaces;

/// <summary>Conversions and formatting of hyperparameter values shared by the space's types.</summary>
internal static class HyperparameterValues
{
    /// <summary>ConfigSpace's tolerance when it accepts a float as an integer (<c>check_int</c>).</summary>
    public const double IntegerTolerance = 1e-8;

    /// <summary>Reads any numeric value (not bool, not text) as a double.</summary>
    public static bool TryToDouble(object? value, out double result)
    {
        switch (value)
        {
            case double d:
                result = d;
                return true;
            case long l:
                result = l;
                return true;
            case int i:
                result = i;
                return true;
            case float f:
                result = f;
                return true;
            case decimal m:
                result = (double)m;
                return true;
            case short s:
                result = s;
                return true;
            case byte b:
                result = b;
                return true;
            case uint u:
                result = u;
                return true;
            case ulong ul:
                result = ul;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    /// <summary>Reads an integer, or a float within <see cref="IntegerTolerance"/> of one, as a long.</summary>
    public static bool TryToInt64(object? value, out long result)
    {
        switch (value)
        {
            case long l:
                result = l;
                return true;
            case int i:
                result = i;
                return true;
            case short s:
                result = s;
                return true;
            case byte b:
                result = b;
                return true;
            case uint u:
                result = u;
                return true;
            case ulong ul when ul <= long.MaxValue:
                result = (long)ul;
                return true;
        }

        if (TryToDouble(value, out var d) && double.IsFinite(d) && Math.Abs(d) < 9.2e18)
        {
            var rounded = Math.Round(d);
            if (Math.Abs(rounded - d) <= IntegerTolerance)
            {
                result = (long)rounded;
                return true;
            }
        }

        result = 0;
        return false;
    }

    /// <summary>
    /// Brings a choice, sequence element, constant or condition value to one of the types a
    /// <see cref="Configuration"/> holds (string, long, double, bool).
    /// </summary>
    /// <exception cref="ArgumentException">The value is null or of another type.</exception>
    public static object NormalizeChoice(string hyperparameter, object? value, string what) => value switch
    {
        null => throw new ArgumentException($"Hyperparameter '{hyperparameter}': {what} must not be null (None); use a string such as \"None\" instead."),
        string or long or bool => value,
        double d when double.IsFinite(d) => d,
        double d => throw new ArgumentException($"Hyperparameter '{hyperparameter}': {what} must be finite, got {Repr(d)}."),
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f when float.IsFinite(f) => (double)f,
        decimal m => (double)m,
        _ => throw new ArgumentException($"Hyperparameter '{hyperparameter}': {what} has type {value.GetType().Name}; use a string, integer, float or bool."),
    };

    /// <summary>Formats a value as ConfigSpace's messages do: strings quoted, numbers round-trip, None for null.</summary>
    public static string Repr(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        double d => FormatDouble(d),
        _ => Configuration.FormatValue(value),
    };

    /// <summary>A double in round-trip form that always reads back as a float (<c>1.0</c>, not <c>1</c>).</summary>
    public static string FormatDouble(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        if (double.IsFinite(d) && text.IndexOfAny(['.', 'E', 'e']) < 0)
        {
            text += ".0";
        }

        return text;
    }

    /// <summary>The index of <paramref name="value"/> among <paramref name="choices"/> (numbers compare by value), or -1.</summary>
    public static int IndexOfChoice(IReadOnlyList<object> choices, object? value)
    {
        if (value is null)
        {
            return -1;
        }

        var normalized = value switch
        {
            int i => (long)i,
            float f => (double)f,
            short s => (long)s,
            byte b => (long)b,
            uint u => (long)u,
            decimal m => (double)m,
            _ => value,
        };
        for (var i = 0; i < choices.Count; i++)
        {
            if (SameKind(choices[i], normalized) && Configuration.ValuesEqual(choices[i], normalized))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Numbers match numbers, text matches text, bools match bools (ConfigSpace would also let True equal 1).</summary>
    private static bool SameKind(object a, object b) => (a, b) switch
    {
        (string, string) => true,
        (bool, bool) => true,
        (long or double, long or double) => true,
        _ => false,
    };

    /// <summary>Formats a list of values as <c>{'a', 'b'}</c>.</summary>
    public static string ReprSet(IEnumerable<object> values) => "{" + string.Join(", ", values.Select(Repr)) + "}";
}
