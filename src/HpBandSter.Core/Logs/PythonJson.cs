using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Logs;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps</c> does with its defaults, so that HpBandSter's
/// <c>configs.json</c> / <c>results.json</c> lines come out byte for byte the same.
/// </summary>
/// <remarks>
/// The defaults reproduced: separators <c>", "</c> and <c>": "</c>; <c>ensure_ascii=True</c> (every character
/// outside space..tilde is written as a lowercase <c>\uXXXX</c> escape, characters beyond the BMP as a
/// surrogate pair, with the short escapes <c>\" \\ \n \r \t \b \f</c>); <c>allow_nan=True</c> (NaN, Infinity and
/// -Infinity written bare); key order preserved; floats in <c>repr</c> form (shortest round-trip digits,
/// <c>1.0</c> for integral values, exponent form when the decimal exponent is below -4 or at least 16, as in
/// <c>1e-05</c> and <c>1.5e+16</c>). C# integer types are Python ints; <see cref="double"/> and
/// <see cref="float"/> are Python floats.
/// </remarks>
internal static class PythonJson
{
    /// <summary>Serializes a JSON tree (null is JSON null).</summary>
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(sb, node);
        return sb.ToString();
    }

    /// <summary>Appends a JSON tree.</summary>
    public static void Write(StringBuilder sb, JsonNode? node)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                WriteObject(sb, obj);
                break;
            case JsonArray array:
                sb.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    Write(sb, array[i]);
                }

                sb.Append(']');
                break;
            case JsonValue value:
                WriteValue(sb, value);
                break;
            default:
                throw new ArgumentException($"Unsupported JSON node type {node.GetType().Name}.", nameof(node));
        }
    }

    /// <summary>Appends a hyperparameter configuration as a JSON object, in its order.</summary>
    public static void WriteConfiguration(StringBuilder sb, Configuration config)
    {
        sb.Append('{');
        var first = true;
        foreach (var (name, value) in config)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            WriteString(sb, name);
            sb.Append(": ");
            WriteScalar(sb, value);
        }

        sb.Append('}');
    }

    /// <summary>Appends a scalar: bool, string, an integer type (Python int) or a floating type (Python float).</summary>
    public static void WriteScalar(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case double d:
                sb.Append(FormatFloat(d));
                break;
            case float f:
                sb.Append(FormatFloat(f));
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case int i:
                sb.Append(i.ToString(CultureInfo.InvariantCulture));
                break;
            case short s16:
                sb.Append(s16.ToString(CultureInfo.InvariantCulture));
                break;
            case byte u8:
                sb.Append(u8.ToString(CultureInfo.InvariantCulture));
                break;
            case uint u32:
                sb.Append(u32.ToString(CultureInfo.InvariantCulture));
                break;
            case ulong u64:
                sb.Append(u64.ToString(CultureInfo.InvariantCulture));
                break;
            case BigInteger big:
                sb.Append(big.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal m:
                sb.Append(FormatFloat((double)m));
                break;
            default:
                throw new ArgumentException($"Cannot write a value of type {value.GetType().Name} as JSON.", nameof(value));
        }
    }

    /// <summary>Appends a JSON string literal with Python's <c>ensure_ascii=True</c> escaping.</summary>
    public static void WriteString(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case '\b':
                    sb.Append("\\b");
                    break;
                case '\f':
                    sb.Append("\\f");
                    break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    /// <summary>Formats a double as Python's <c>json.dumps</c> (that is, <c>float.__repr__</c>) does.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "Infinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Infinity";
        }

        var negative = double.IsNegative(value);
        if (value == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        // .NET's "R" gives the shortest round-trip digits (since .NET Core 3.0), in its own layout.
        // Extract the digits and the decimal point position, then lay them out as Python does.
        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        var sb = new StringBuilder(32);
        if (negative)
        {
            sb.Append('-');
        }

        if (pointPosition <= -4 || pointPosition > 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var exponent = pointPosition - 1;
            sb.Append('e').Append(exponent < 0 ? '-' : '+')
              .Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (pointPosition <= 0)
        {
            sb.Append("0.").Append('0', -pointPosition).Append(digits);
        }
        else if (pointPosition < digits.Length)
        {
            sb.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
        }
        else
        {
            sb.Append(digits).Append('0', pointPosition - digits.Length).Append(".0");
        }

        return sb.ToString();
    }

    /// <summary>
    /// The shortest round-trip significant digits of a positive finite double (no leading or trailing zeros)
    /// and the position of the decimal point relative to them (value = 0.DIGITS × 10^position).
    /// </summary>
    private static (string Digits, int PointPosition) ShortestDigits(double positive)
    {
        var text = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerLength = dot >= 0 ? dot : text.Length;
        var allDigits = dot >= 0 ? text.Remove(dot, 1) : text;
        var leadingZeros = 0;
        while (leadingZeros < allDigits.Length - 1 && allDigits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        var digits = allDigits[leadingZeros..].TrimEnd('0');
        return (digits, integerLength - leadingZeros + exponent);
    }

    private static void WriteObject(StringBuilder sb, JsonObject obj)
    {
        sb.Append('{');
        var first = true;
        foreach (var (key, child) in obj)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            WriteString(sb, key);
            sb.Append(": ");
            Write(sb, child);
        }

        sb.Append('}');
    }

    private static void WriteValue(StringBuilder sb, JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            WriteElement(sb, element);
            return;
        }

        if (value.TryGetValue<bool>(out var b))
        {
            WriteScalar(sb, b);
        }
        else if (value.TryGetValue<string>(out var s))
        {
            WriteScalar(sb, s);
        }
        else if (value.TryGetValue<long>(out var l))
        {
            WriteScalar(sb, l);
        }
        else if (value.TryGetValue<int>(out var i))
        {
            WriteScalar(sb, i);
        }
        else if (value.TryGetValue<double>(out var d))
        {
            WriteScalar(sb, d);
        }
        else if (value.TryGetValue<float>(out var f))
        {
            WriteScalar(sb, f);
        }
        else if (value.TryGetValue<decimal>(out var m))
        {
            WriteScalar(sb, m);
        }
        else if (value.TryGetValue<short>(out var s16))
        {
            WriteScalar(sb, s16);
        }
        else if (value.TryGetValue<byte>(out var u8))
        {
            WriteScalar(sb, u8);
        }
        else if (value.TryGetValue<uint>(out var u32))
        {
            WriteScalar(sb, u32);
        }
        else if (value.TryGetValue<ulong>(out var u64))
        {
            WriteScalar(sb, u64);
        }
        else if (value.TryGetValue<char>(out var c))
        {
            WriteString(sb, c.ToString());
        }
        else
        {
            // Anything else (an arbitrary object wrapped in a JsonValue): go through System.Text.Json once.
            WriteElement(sb, JsonSerializer.SerializeToElement(value));
        }
    }

    private static void WriteElement(StringBuilder sb, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var property in element.EnumerateObject())
                {
                    if (!first)
                    {
                        sb.Append(", ");
                    }

                    first = false;
                    WriteString(sb, property.Name);
                    sb.Append(": ");
                    WriteElement(sb, property.Value);
                }

                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        sb.Append(", ");
                    }

                    WriteElement(sb, item);
                }

                sb.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(sb, element.GetString()!);
                break;
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
                {
                    sb.Append(FormatFloat(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture)));
                }
                else
                {
                    sb.Append(BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                }

                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }
}
