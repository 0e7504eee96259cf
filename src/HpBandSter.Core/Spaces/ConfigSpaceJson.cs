using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HpBandSter.Spaces;

/// <summary>
/// Reads and writes ConfigSpace's JSON (<c>configspace.json</c>, as CAVE, DeepCAVE, SMAC and HpBandSter's examples use it).
/// </summary>
/// <remarks>
/// <para>Reading accepts format versions 0.1–0.4 (key <c>json_format_version</c>, ConfigSpace 0.4.x–0.7) and ConfigSpace 1.x
/// (key <c>format_version</c>): defaults under <c>default</c> or <c>default_value</c>, categorical weights under
/// <c>probabilities</c> (0.2) or <c>weights</c> (0.3+), <c>unparametrized</c> as a constant, <c>meta</c> ignored, normal
/// hyperparameters with or without bounds, and the forbidden relation forms of 0.6 (<c>RELATION</c> with a lambda) and 1.x.</para>
/// <para>A <c>q</c> field is honoured whatever the version (ConfigSpace 1.x drops it with a warning, which changes the space).</para>
/// <para>Writing produces the 1.x layout with <c>"format_version": 0.4</c> and <c>"python_module_version": "1.2.0"</c>;
/// see <see cref="Write"/> for what 1.x cannot read back.</para>
/// </remarks>
public static class ConfigSpaceJson
{
    /// <summary>The ConfigSpace version the writer claims to be.</summary>
    public const string PythonModuleVersion = "1.2.0";

    /// <summary>The format version the writer emits.</summary>
    public const string FormatVersion = "0.4";

    private static readonly string[] HyperparameterTypes = ["uniform_float", "uniform_int", "normal_float", "normal_int", "categorical", "ordinal", "constant", "unparametrized"];
    private static readonly string[] ConditionTypes = ["EQ", "NEQ", "LT", "GT", "IN", "AND", "OR"];
    private static readonly string[] ForbiddenTypes =
        ["EQUALS", "IN", "AND", "OR", "CLAUSE_LT", "CLAUSE_LE", "CLAUSE_GT", "CLAUSE_GE", "RELATION", "RELATION_LT", "RELATION_LE", "RELATION_EQ", "RELATION_GT", "RELATION_GE"];

    /// <summary>Parses a space.</summary>
    /// <exception cref="ArgumentException">The text is not JSON, a field is missing or mistyped, a type is unknown, or the space is invalid; the message names the item.</exception>
    public static ConfigurationSpace Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The ConfigSpace JSON is not valid JSON: {e.Message}", nameof(json), e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The ConfigSpace JSON must be an object with a \"hyperparameters\" list.", nameof(json));
            }

            if (!root.TryGetProperty("hyperparameters", out var hps) || hps.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException("The ConfigSpace JSON has no \"hyperparameters\" list.", nameof(json));
            }

            var hyperparameters = new List<Hyperparameter>();
            var position = 0;
            foreach (var item in hps.EnumerateArray())
            {
                hyperparameters.Add(ReadHyperparameter(item, position++));
            }

            var conditions = new List<Condition>();
            position = 0;
            foreach (var item in OptionalArray(root, "conditions"))
            {
                conditions.Add(ReadCondition(item, $"condition #{position++}"));
            }

            var forbiddens = new List<ForbiddenClause>();
            position = 0;
            foreach (var item in OptionalArray(root, "forbiddens"))
            {
                forbiddens.Add(ReadForbidden(item, $"forbidden clause #{position++}"));
            }

            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return new ConfigurationSpace(hyperparameters, conditions, forbiddens, name);
        }
    }

    /// <summary>
    /// Writes a space in ConfigSpace 1.x's layout: <c>{"name", "hyperparameters", "conditions", "forbiddens",
    /// "python_module_version": "1.2.0", "format_version": 0.4}</c>, hyperparameters in vector order with <c>default_value</c>,
    /// <c>weights</c> and <c>"meta": null</c>.
    /// </summary>
    /// <remarks>
    /// Beyond 1.x: a quantised hyperparameter gets a <c>q</c> field (1.x drops it with a warning); a normal hyperparameter
    /// without bounds has no <c>lower</c>/<c>upper</c> (1.x requires them); forbidden comparisons are written as
    /// <c>CLAUSE_LT/LE/GT/GE</c> and relations as <c>RELATION_LT/LE/EQ/GT/GE</c>. This reader reads all of it back.
    /// </remarks>
    public static string Write(ConfigurationSpace space, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(space);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            if (space.Name is null)
            {
                w.WriteNull("name");
            }
            else
            {
                w.WriteString("name", space.Name);
            }

            w.WriteStartArray("hyperparameters");
            foreach (var hp in space.Hyperparameters)
            {
                WriteHyperparameter(w, hp);
            }

            w.WriteEndArray();
            w.WriteStartArray("conditions");
            foreach (var c in space.Conditions)
            {
                WriteCondition(w, c);
            }

            w.WriteEndArray();
            w.WriteStartArray("forbiddens");
            foreach (var f in space.Forbiddens)
            {
                WriteForbidden(w, f);
            }

            w.WriteEndArray();
            w.WriteString("python_module_version", PythonModuleVersion);
            w.WritePropertyName("format_version");
            w.WriteRawValue(FormatVersion);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static Hyperparameter ReadHyperparameter(JsonElement item, int position)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"ConfigSpace JSON: hyperparameter #{position} is not an object.");
        }

        if (!item.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            throw new ArgumentException($"ConfigSpace JSON: hyperparameter #{position} has no \"name\" (a string).");
        }

        var name = nameElement.GetString()!;
        var ctx = $"hyperparameter '{name}'";
        var type = RequiredString(item, "type", ctx);
        ctx = $"hyperparameter '{name}' ({type})";
        var defaultElement = DefaultOf(item);
        switch (type)
        {
            case "uniform_float":
                return new UniformFloatHyperparameter(
                    name,
                    RequiredDouble(item, "lower", ctx),
                    RequiredDouble(item, "upper", ctx),
                    OptionalDouble(defaultElement, "default_value", ctx),
                    OptionalBool(item, "log", ctx),
                    OptionalDouble(item, "q", ctx));
            case "uniform_int":
                return new UniformIntegerHyperparameter(
                    name,
                    RequiredInt64(item, "lower", ctx),
                    RequiredInt64(item, "upper", ctx),
                    OptionalInt64(defaultElement, "default_value", ctx),
                    OptionalBool(item, "log", ctx),
                    OptionalInt64(item, "q", ctx));
            case "normal_float":
                return new NormalFloatHyperparameter(
                    name,
                    RequiredDouble(item, "mu", ctx),
                    RequiredDouble(item, "sigma", ctx),
                    OptionalDouble(Field(item, "lower"), "lower", ctx),
                    OptionalDouble(Field(item, "upper"), "upper", ctx),
                    OptionalDouble(defaultElement, "default_value", ctx),
                    OptionalBool(item, "log", ctx),
                    OptionalDouble(item, "q", ctx));
            case "normal_int":
                return new NormalIntegerHyperparameter(
                    name,
                    RequiredDouble(item, "mu", ctx),
                    RequiredDouble(item, "sigma", ctx),
                    OptionalInt64(Field(item, "lower"), "lower", ctx),
                    OptionalInt64(Field(item, "upper"), "upper", ctx),
                    OptionalInt64(defaultElement, "default_value", ctx),
                    OptionalBool(item, "log", ctx),
                    OptionalInt64(item, "q", ctx));
            case "categorical":
            {
                var choices = ReadValues(RequiredArray(item, "choices", ctx), $"{ctx}, \"choices\"");
                var weightsElement = Field(item, "weights") ?? Field(item, "probabilities");
                double[]? weights = null;
                if (weightsElement is { ValueKind: not JsonValueKind.Null } we)
                {
                    if (we.ValueKind != JsonValueKind.Array)
                    {
                        throw new ArgumentException($"ConfigSpace JSON: {ctx} has \"weights\" that are not a list of numbers.");
                    }

                    weights = we.EnumerateArray().Select(e => AsDouble(e, "weights", ctx)).ToArray();
                }

                return new CategoricalHyperparameter(name, choices, OptionalValue(defaultElement, ctx), weights);
            }

            case "ordinal":
                return new OrdinalHyperparameter(name, ReadValues(RequiredArray(item, "sequence", ctx), $"{ctx}, \"sequence\""), OptionalValue(defaultElement, ctx));
            case "constant":
            case "unparametrized":
                if (!item.TryGetProperty("value", out var value))
                {
                    throw new ArgumentException($"ConfigSpace JSON: {ctx} has no \"value\".");
                }

                return new ConstantHyperparameter(name, ReadValue(value, $"{ctx}, \"value\""));
            case "beta_float":
            case "beta_int":
                throw new ArgumentException($"ConfigSpace JSON: {ctx}: beta hyperparameters (ConfigSpace 0.5+) are not supported; use a uniform or normal one.");
            default:
                throw new ArgumentException($"ConfigSpace JSON: {ctx} has the unknown type '{type}'; known types: {string.Join(", ", HyperparameterTypes)}.");
        }
    }

    private static Condition ReadCondition(JsonElement item, string ctx)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"ConfigSpace JSON: {ctx} is not an object.");
        }

        var type = RequiredString(item, "type", ctx);
        if (item.TryGetProperty("child", out var child) && child.ValueKind == JsonValueKind.String)
        {
            ctx = $"{ctx} (type {type}, child '{child.GetString()}')";
        }

        switch (type)
        {
            case "EQ":
            case "NEQ":
            case "LT":
            case "GT":
            {
                var c = RequiredString(item, "child", ctx);
                var p = RequiredString(item, "parent", ctx);
                if (!item.TryGetProperty("value", out var v))
                {
                    throw new ArgumentException($"ConfigSpace JSON: {ctx} has no \"value\".");
                }

                var value = ReadValue(v, $"{ctx}, \"value\"");
                return type switch
                {
                    "EQ" => new EqualsCondition(c, p, value),
                    "NEQ" => new NotEqualsCondition(c, p, value),
                    "LT" => new LessThanCondition(c, p, value),
                    _ => new GreaterThanCondition(c, p, value),
                };
            }

            case "IN":
                return new InCondition(RequiredString(item, "child", ctx), RequiredString(item, "parent", ctx), ReadValues(RequiredArray(item, "values", ctx), $"{ctx}, \"values\""));
            case "AND":
            case "OR":
            {
                var parts = RequiredArray(item, "conditions", ctx).EnumerateArray().Select((e, i) => ReadCondition(e, $"{ctx}, part #{i}")).ToArray();
                return type == "AND" ? new AndConjunction(parts) : new OrConjunction(parts);
            }

            default:
                throw new ArgumentException($"ConfigSpace JSON: {ctx} has the unknown type '{type}'; known types: {string.Join(", ", ConditionTypes)}.");
        }
    }

    private static ForbiddenClause ReadForbidden(JsonElement item, string ctx)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"ConfigSpace JSON: {ctx} is not an object.");
        }

        var type = RequiredString(item, "type", ctx);
        ctx = $"{ctx} (type {type})";
        switch (type)
        {
            case "EQUALS":
                return new ForbiddenEqualsClause(RequiredString(item, "name", ctx), RequiredValue(item, "value", ctx));
            case "IN":
                return new ForbiddenInClause(RequiredString(item, "name", ctx), ReadValues(RequiredArray(item, "values", ctx), $"{ctx}, \"values\""));
            case "CLAUSE_LT":
            case "CLAUSE_LE":
            case "CLAUSE_GT":
            case "CLAUSE_GE":
                return new ForbiddenComparisonClause(RequiredString(item, "name", ctx), OperatorOf(type["CLAUSE_".Length..], ctx), RequiredValue(item, "value", ctx));
            case "AND":
            case "OR":
            {
                var parts = RequiredArray(item, "clauses", ctx).EnumerateArray().Select((e, i) => ReadForbidden(e, $"{ctx}, part #{i}")).ToArray();
                return type == "AND" ? new ForbiddenAndConjunction(parts) : new ForbiddenOrConjunction(parts);
            }

            case "RELATION":
                return new ForbiddenRelation(RequiredString(item, "left", ctx), OperatorOf(RequiredString(item, "lambda", ctx), ctx), RequiredString(item, "right", ctx));
            case "RELATION_LT":
            case "RELATION_LE":
            case "RELATION_EQ":
            case "RELATION_GT":
            case "RELATION_GE":
                return new ForbiddenRelation(RequiredString(item, "left", ctx), OperatorOf(type["RELATION_".Length..], ctx), RequiredString(item, "right", ctx));
            default:
                throw new ArgumentException($"ConfigSpace JSON: {ctx} has an unknown type; known types: {string.Join(", ", ForbiddenTypes)}.");
        }
    }

    /// <summary>Operator names: 0.6's lambdas (LESS, EQUALS, GREATER), 1.x's legacy ones (LT, EQ, GT) and LE/GE.</summary>
    private static ComparisonOperator OperatorOf(string text, string ctx) => text switch
    {
        "LT" or "LESS" => ComparisonOperator.LessThan,
        "LE" or "LESS_EQUAL" or "LESS_EQUALS" => ComparisonOperator.LessThanOrEqual,
        "EQ" or "EQUALS" => ComparisonOperator.Equal,
        "GT" or "GREATER" => ComparisonOperator.GreaterThan,
        "GE" or "GREATER_EQUAL" or "GREATER_EQUALS" => ComparisonOperator.GreaterThanOrEqual,
        _ => throw new ArgumentException($"ConfigSpace JSON: {ctx} has the unknown relation '{text}'; known: LESS, LESS_EQUAL, EQUALS, GREATER, GREATER_EQUAL (or LT, LE, EQ, GT, GE)."),
    };

    private static JsonElement? Field(JsonElement item, string name) => item.TryGetProperty(name, out var e) ? e : null;

    private static JsonElement? DefaultOf(JsonElement item) => Field(item, "default_value") ?? Field(item, "default");

    private static IEnumerable<JsonElement> OptionalArray(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().ToArray()
            : throw new ArgumentException($"ConfigSpace JSON: \"{name}\" must be a list.");
    }

    private static JsonElement RequiredArray(JsonElement item, string field, string ctx) =>
        item.TryGetProperty(field, out var e) && e.ValueKind == JsonValueKind.Array
            ? e
            : throw new ArgumentException($"ConfigSpace JSON: {ctx} has no \"{field}\" list.");

    private static string RequiredString(JsonElement item, string field, string ctx) =>
        item.TryGetProperty(field, out var e) && e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new ArgumentException($"ConfigSpace JSON: {ctx} has no \"{field}\" (a string).");

    private static double RequiredDouble(JsonElement item, string field, string ctx) =>
        item.TryGetProperty(field, out var e) && e.ValueKind != JsonValueKind.Null
            ? AsDouble(e, field, ctx)
            : throw new ArgumentException($"ConfigSpace JSON: {ctx} has no \"{field}\" (a number).");

    private static long RequiredInt64(JsonElement item, string field, string ctx) =>
        item.TryGetProperty(field, out var e) && e.ValueKind != JsonValueKind.Null
            ? AsInt64(e, field, ctx)
            : throw new ArgumentException($"ConfigSpace JSON: {ctx} has no \"{field}\" (an integer).");

    private static double? OptionalDouble(JsonElement item, string field, string ctx) => OptionalDouble(Field(item, field), field, ctx);

    private static double? OptionalDouble(JsonElement? e, string field, string ctx) =>
        e is { ValueKind: not JsonValueKind.Null } v ? AsDouble(v, field, ctx) : null;

    private static long? OptionalInt64(JsonElement item, string field, string ctx) => OptionalInt64(Field(item, field), field, ctx);

    private static long? OptionalInt64(JsonElement? e, string field, string ctx) =>
        e is { ValueKind: not JsonValueKind.Null } v ? AsInt64(v, field, ctx) : null;

    private static bool OptionalBool(JsonElement item, string field, string ctx) => Field(item, field) switch
    {
        null or { ValueKind: JsonValueKind.Null } or { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.True } => true,
        _ => throw new ArgumentException($"ConfigSpace JSON: {ctx} has a \"{field}\" that is not true or false."),
    };

    private static object? OptionalValue(JsonElement? e, string ctx) =>
        e is { ValueKind: not JsonValueKind.Null } v ? ReadValue(v, $"{ctx}, \"default_value\"") : null;

    private static object RequiredValue(JsonElement item, string field, string ctx) =>
        item.TryGetProperty(field, out var e)
            ? ReadValue(e, $"{ctx}, \"{field}\"")
            : throw new ArgumentException($"ConfigSpace JSON: {ctx} has no \"{field}\".");

    private static double AsDouble(JsonElement e, string field, string ctx) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw new ArgumentException($"ConfigSpace JSON: {ctx} has a \"{field}\" that is not a finite number ({e.GetRawText()}).");

    private static long AsInt64(JsonElement e, string field, string ctx)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            if (e.TryGetInt64(out var l))
            {
                return l;
            }

            if (e.TryGetDouble(out var d) && HyperparameterValues.TryToInt64(d, out l))
            {
                return l;
            }
        }

        throw new ArgumentException($"ConfigSpace JSON: {ctx} has a \"{field}\" that is not an integer ({e.GetRawText()}).");
    }

    private static object[] ReadValues(JsonElement array, string ctx) =>
        array.EnumerateArray().Select((e, i) => ReadValue(e, $"{ctx}[{i}]")).ToArray();

    /// <summary>A JSON scalar as a configuration value: text, long (integral literal), double (any other number) or bool.</summary>
    private static object ReadValue(JsonElement e, string ctx) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when e.TryGetInt64(out var l) => l,
        JsonValueKind.Number when e.TryGetDouble(out var d) && double.IsFinite(d) => d,
        JsonValueKind.Null => throw new ArgumentException($"ConfigSpace JSON: {ctx} is null; None is not a supported value (use the string \"None\")."),
        _ => throw new ArgumentException($"ConfigSpace JSON: {ctx} is {e.ValueKind.ToString().ToLowerInvariant()}, but must be a string, number or bool."),
    };

    private static void WriteHyperparameter(Utf8JsonWriter w, Hyperparameter hp)
    {
        w.WriteStartObject();
        w.WriteString("type", hp.TypeTag);
        w.WriteString("name", hp.Name);
        switch (hp)
        {
            case UniformFloatHyperparameter f:
                WriteDouble(w, "lower", f.Lower);
                WriteDouble(w, "upper", f.Upper);
                WriteDouble(w, "default_value", f.Default);
                w.WriteBoolean("log", f.Log);
                if (f.Q is { } fq)
                {
                    WriteDouble(w, "q", fq);
                }

                break;
            case UniformIntegerHyperparameter i:
                w.WriteNumber("lower", i.Lower);
                w.WriteNumber("upper", i.Upper);
                w.WriteNumber("default_value", i.Default);
                w.WriteBoolean("log", i.Log);
                if (i.Q is { } iq)
                {
                    w.WriteNumber("q", iq);
                }

                break;
            case NormalFloatHyperparameter nf:
                WriteDouble(w, "mu", nf.Mu);
                WriteDouble(w, "sigma", nf.Sigma);
                if (nf.Lower is { } nfl && nf.Upper is { } nfu)
                {
                    WriteDouble(w, "lower", nfl);
                    WriteDouble(w, "upper", nfu);
                }

                WriteDouble(w, "default_value", nf.Default);
                w.WriteBoolean("log", nf.Log);
                if (nf.Q is { } nfq)
                {
                    WriteDouble(w, "q", nfq);
                }

                break;
            case NormalIntegerHyperparameter ni:
                WriteDouble(w, "mu", ni.Mu);
                WriteDouble(w, "sigma", ni.Sigma);
                if (ni.Lower is { } nil && ni.Upper is { } niu)
                {
                    w.WriteNumber("lower", nil);
                    w.WriteNumber("upper", niu);
                }

                w.WriteNumber("default_value", ni.Default);
                w.WriteBoolean("log", ni.Log);
                if (ni.Q is { } niq)
                {
                    w.WriteNumber("q", niq);
                }

                break;
            case CategoricalHyperparameter c:
                w.WriteStartArray("choices");
                foreach (var choice in c.Choices)
                {
                    WriteValue(w, choice);
                }

                w.WriteEndArray();
                if (c.Weights is null)
                {
                    w.WriteNull("weights");
                }
                else
                {
                    w.WriteStartArray("weights");
                    foreach (var weight in c.Weights)
                    {
                        w.WriteRawValue(HyperparameterValues.FormatDouble(weight));
                    }

                    w.WriteEndArray();
                }

                w.WritePropertyName("default_value");
                WriteValue(w, c.DefaultValue);
                break;
            case OrdinalHyperparameter o:
                w.WriteStartArray("sequence");
                foreach (var element in o.Sequence)
                {
                    WriteValue(w, element);
                }

                w.WriteEndArray();
                w.WritePropertyName("default_value");
                WriteValue(w, o.DefaultValue);
                break;
            case ConstantHyperparameter k:
                w.WritePropertyName("value");
                WriteValue(w, k.Value);
                break;
            default:
                throw new NotSupportedException($"Hyperparameter '{hp.Name}' has a type ({hp.GetType().Name}) the JSON writer does not know.");
        }

        w.WriteNull("meta");
        w.WriteEndObject();
    }

    private static void WriteCondition(Utf8JsonWriter w, Condition condition)
    {
        w.WriteStartObject();
        w.WriteString("type", condition.TypeTag);
        w.WriteString("child", condition.Child);
        switch (condition)
        {
            case ValueCondition v:
                w.WriteString("parent", v.Parent);
                w.WritePropertyName("value");
                WriteValue(w, v.Value);
                break;
            case InCondition i:
                w.WriteString("parent", i.Parent);
                w.WriteStartArray("values");
                foreach (var value in i.Values)
                {
                    WriteValue(w, value);
                }

                w.WriteEndArray();
                break;
            case ConditionConjunction j:
                w.WriteStartArray("conditions");
                foreach (var part in j.Components)
                {
                    WriteCondition(w, part);
                }

                w.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Condition '{condition}' has a type the JSON writer does not know.");
        }

        w.WriteEndObject();
    }

    private static void WriteForbidden(Utf8JsonWriter w, ForbiddenClause clause)
    {
        w.WriteStartObject();
        w.WriteString("type", clause.TypeTag);
        switch (clause)
        {
            case ForbiddenEqualsClause e:
                w.WriteString("name", e.Name);
                w.WritePropertyName("value");
                WriteValue(w, e.Value);
                break;
            case ForbiddenInClause i:
                w.WriteString("name", i.Name);
                w.WriteStartArray("values");
                foreach (var value in i.Values)
                {
                    WriteValue(w, value);
                }

                w.WriteEndArray();
                break;
            case ForbiddenComparisonClause c:
                w.WriteString("name", c.Name);
                w.WritePropertyName("value");
                WriteValue(w, c.Value);
                break;
            case ForbiddenConjunction j:
                w.WriteStartArray("clauses");
                foreach (var part in j.Components)
                {
                    WriteForbidden(w, part);
                }

                w.WriteEndArray();
                break;
            case ForbiddenRelation r:
                w.WriteString("left", r.Left);
                w.WriteString("right", r.Right);
                break;
            default:
                throw new NotSupportedException($"Forbidden clause '{clause}' has a type the JSON writer does not know.");
        }

        w.WriteEndObject();
    }

    private static void WriteDouble(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(HyperparameterValues.FormatDouble(value));
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case string s:
                w.WriteStringValue(s);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case double d:
                w.WriteRawValue(HyperparameterValues.FormatDouble(d));
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            default:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
