using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Snapshots;

/// <summary>
/// Reading and writing the pieces of an optimizer snapshot: doubles that round-trip bit for bit (non-finite ones
/// as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>), configurations whose values keep their
/// types, config ids and random states. Every read failure is an <see cref="InvalidDataException"/>.
/// </summary>
internal static class SnapshotJson
{
    /// <summary>An <see cref="InvalidDataException"/> saying the snapshot is corrupt, and why.</summary>
    public static InvalidDataException Corrupt(string why, Exception? inner = null) =>
        new($"The optimizer snapshot is corrupt: {why}", inner);

    /// <summary>Writes a double: finite ones as their shortest round-trip number, others as a named literal string.</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(NonFiniteName(value));
        }
    }

    /// <summary>Writes a double property (see <see cref="WriteDouble(Utf8JsonWriter, double)"/>).</summary>
    public static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteDouble(writer, value);
    }

    /// <summary>Writes an array of doubles.</summary>
    public static void WriteDoubles(Utf8JsonWriter writer, string name, IEnumerable<double> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            WriteDouble(writer, value);
        }

        writer.WriteEndArray();
    }

    /// <summary>Reads a double written by <see cref="WriteDouble(Utf8JsonWriter, double)"/>.</summary>
    public static double ReadDouble(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => element.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw Corrupt($"'{other}' is not a number."),
        },
        _ => throw Corrupt($"expected a number, found {element.ValueKind}."),
    };

    /// <summary>Reads a double property.</summary>
    public static double ReadDouble(JsonElement parent, string name) => ReadDouble(Property(parent, name));

    /// <summary>Reads an array of doubles into <paramref name="into"/>.</summary>
    public static void ReadDoubles(JsonElement array, List<double> into)
    {
        ExpectKind(array, JsonValueKind.Array);
        into.EnsureCapacity(into.Count + array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            into.Add(ReadDouble(item));
        }
    }

    /// <summary>Reads an array of doubles.</summary>
    public static List<double> ReadDoubles(JsonElement array)
    {
        var list = new List<double>();
        ReadDoubles(array, list);
        return list;
    }

    /// <summary>Reads an array of 32-bit integers.</summary>
    public static int[] ReadInts(JsonElement array)
    {
        ExpectKind(array, JsonValueKind.Array);
        var result = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            result[i++] = item.GetInt32();
        }

        return result;
    }

    /// <summary>The named property, or a corrupt-snapshot error naming it.</summary>
    public static JsonElement Property(JsonElement parent, string name)
    {
        ExpectKind(parent, JsonValueKind.Object);
        return parent.TryGetProperty(name, out var value) ? value : throw Corrupt($"the property '{name}' is missing.");
    }

    /// <summary>Checks the kind of a JSON value.</summary>
    public static void ExpectKind(JsonElement element, JsonValueKind kind)
    {
        if (element.ValueKind != kind)
        {
            throw Corrupt($"expected {kind}, found {element.ValueKind}.");
        }
    }

    /// <summary>Writes a config id as <c>[iteration, stage, index]</c>.</summary>
    public static void WriteConfigId(Utf8JsonWriter writer, ConfigId id)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(id.Iteration);
        writer.WriteNumberValue(id.Stage);
        writer.WriteNumberValue(id.Index);
        writer.WriteEndArray();
    }

    /// <summary>Reads a config id written by <see cref="WriteConfigId"/>.</summary>
    public static ConfigId ReadConfigId(JsonElement element)
    {
        var parts = ReadInts(element);
        return parts.Length == 3 ? new ConfigId(parts[0], parts[1], parts[2]) : throw Corrupt($"a config id needs three numbers, found {parts.Length}.");
    }

    /// <summary>Writes a random state as its four words.</summary>
    public static void WriteRandomState(Utf8JsonWriter writer, string name, RandomState state)
    {
        writer.WriteStartArray(name);
        writer.WriteNumberValue(state.S0);
        writer.WriteNumberValue(state.S1);
        writer.WriteNumberValue(state.S2);
        writer.WriteNumberValue(state.S3);
        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes where the random stream stood when a budget's model was fitted. A model is always the fit of every
    /// observation stored on its budget (fits on more observations never fail once one succeeded), so refitting on
    /// restore from that position rebuilds it exactly.
    /// </summary>
    public static void WriteFitRandom(Utf8JsonWriter writer, double budget, bool fitIsCurrent, RandomState? fitState)
    {
        if (!fitIsCurrent || fitState is not { } state)
        {
            throw new InvalidOperationException($"Internal error: the model on budget {budget} is not the fit of its observations; it cannot be snapshotted.");
        }

        WriteRandomState(writer, "fitRandom", state);
    }

    /// <summary>Reads a random state written by <see cref="WriteRandomState"/>.</summary>
    public static RandomState ReadRandomState(JsonElement element)
    {
        ExpectKind(element, JsonValueKind.Array);
        if (element.GetArrayLength() != 4)
        {
            throw Corrupt($"a random state needs four words, found {element.GetArrayLength()}.");
        }

        var state = new RandomState(element[0].GetUInt64(), element[1].GetUInt64(), element[2].GetUInt64(), element[3].GetUInt64());
        return (state.S0 | state.S1 | state.S2 | state.S3) != 0 ? state : throw Corrupt("a random state of four zero words.");
    }

    /// <summary>
    /// Writes a configuration as an object in its own order. Strings, booleans and longs are JSON strings, booleans
    /// and integers; a finite double is a number that always has a '.' or an exponent (so 1.0 stays a double);
    /// a non-finite double is <c>{"double": "NaN"}</c>.
    /// </summary>
    public static void WriteConfiguration(Utf8JsonWriter writer, Configuration configuration)
    {
        Span<char> buffer = stackalloc char[40]; // "R" needs at most 24 characters, and ".0" is added
        writer.WriteStartObject();
        foreach (var (name, value) in configuration)
        {
            writer.WritePropertyName(name);
            switch (value)
            {
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case long l:
                    writer.WriteNumberValue(l);
                    break;
                case double d when double.IsFinite(d):
                    var text = buffer;
                    d.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
                    if (text[..length].IndexOfAny('.', 'E', 'e') < 0)
                    {
                        text[length++] = '.';
                        text[length++] = '0';
                    }

                    writer.WriteRawValue(text[..length], skipInputValidation: true);
                    break;
                case double d:
                    writer.WriteStartObject();
                    writer.WriteString("double", NonFiniteName(d));
                    writer.WriteEndObject();
                    break;
                default:
                    throw new InvalidOperationException($"Hyperparameter '{name}' has a value of type {value.GetType().Name}, which a snapshot cannot hold.");
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a configuration written by <see cref="WriteConfiguration"/>.</summary>
    public static Configuration ReadConfiguration(JsonElement element)
    {
        ExpectKind(element, JsonValueKind.Object);
        var values = new List<KeyValuePair<string, object>>();
        foreach (var property in element.EnumerateObject())
        {
            var v = property.Value;
            object value = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString()!,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when v.GetRawText().AsSpan().IndexOfAny('.', 'E', 'e') >= 0 => v.GetDouble(),
                JsonValueKind.Number => v.GetInt64(),
                JsonValueKind.Object => ReadDouble(Property(v, "double")),
                _ => throw Corrupt($"hyperparameter '{property.Name}' has a {v.ValueKind} value."),
            };
            values.Add(new(property.Name, value));
        }

        return new Configuration(values);
    }

    /// <summary>
    /// Reads a config info object into a new <see cref="JsonObject"/>; the usual <c>{}</c> and
    /// <c>{"model_based_pick": true}</c> are built directly, anything else is parsed.
    /// </summary>
    public static JsonObject ReadInfo(JsonElement element)
    {
        ExpectKind(element, JsonValueKind.Object);
        var info = new JsonObject();
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.True:
                case JsonValueKind.False:
                    info[property.Name] = property.Value.GetBoolean();
                    break;
                default:
                    return JsonNode.Parse(element.GetRawText())!.AsObject();
            }
        }

        return info;
    }

    private static string NonFiniteName(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}
