using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// The journal of a run: what is written and how it reads back. The optimizer is rebuilt by replaying
/// <see cref="Asked"/> (through <see cref="Optimizer.ReplayAsk"/>, which checks each job) and <see cref="Told"/>
/// entries in order, so the random source ends where it was; dispatches are not journaled (after a crash every
/// job asked and not told is dispatched again).
/// </summary>
internal static class RunJournalFormat
{
    public const string Asked = "asked";
    public const string Told = "told";
    public const string Cancelled = "cancelled";
    public const string Resumed = "resumed";

    private static readonly JsonSerializerOptions SpecOptions = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string WriteSpec(RunSpec spec) => JsonSerializer.Serialize(spec, SpecOptions);

    public static RunSpec ReadSpec(string runId, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<RunSpec>(json, SpecOptions) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new RunStoreException($"Run '{runId}': its stored specification cannot be read ({e.Message}).", e);
        }
    }

    public static JournalEntry AskedEntry(long sequence, Job job, double submitted) =>
        new(sequence, Asked, new JsonObject
        {
            ["i"] = job.Id.Iteration,
            ["s"] = job.Id.Stage,
            ["k"] = job.Id.Index,
            ["b"] = job.Budget,
            ["t"] = submitted,
        }.ToJsonString());

    public static JournalEntry ToldEntry(long sequence, RunData run) =>
        new(sequence, Told, new JsonObject
        {
            ["i"] = run.Key.Iteration,
            ["s"] = run.Key.Stage,
            ["k"] = run.Key.Index,
            ["b"] = run.Key.Budget,
            ["loss"] = run.Loss is { } loss ? (double.IsFinite(loss) ? JsonValue.Create(loss) : JsonValue.Create(loss.ToString("R", CultureInfo.InvariantCulture))) : null,
            ["info"] = run.InfoJson,
            ["error"] = run.Error,
            ["ts"] = new JsonArray(run.Submitted, run.Started, run.Finished),
        }.ToJsonString());

    public static JournalEntry CancelledEntry(long sequence) => new(sequence, Cancelled, "{}");

    public static JournalEntry ResumedEntry(long sequence, int additionalIterations) =>
        new(sequence, Resumed, new JsonObject { ["iterations"] = additionalIterations }.ToJsonString());

    public static (JobKey Key, double Submitted) ReadAsked(string runId, JournalEntry entry)
    {
        var o = Parse(runId, entry);
        return (Key(runId, entry, o), Number(runId, entry, o, "t"));
    }

    public static RunData ReadTold(string runId, JournalEntry entry)
    {
        var o = Parse(runId, entry);
        var key = Key(runId, entry, o);
        double? loss = o["loss"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out double d) => d,
            JsonValue v when v.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw Corrupt(runId, entry, "loss is not a number"),
        };
        var ts = o["ts"] as JsonArray ?? throw Corrupt(runId, entry, "timestamps are missing");
        if (ts.Count != 3)
        {
            throw Corrupt(runId, entry, "timestamps are not three numbers");
        }

        return new RunData(WireJobKey.From(key), loss, (string?)o["info"], (double)ts[0]!, (double)ts[1]!, (double)ts[2]!, (string?)o["error"]);
    }

    public static int ReadResumed(string runId, JournalEntry entry) => (int)Number(runId, entry, Parse(runId, entry), "iterations");

    private static JobKey Key(string runId, JournalEntry entry, JsonObject o) =>
        new(new ConfigId((int)Number(runId, entry, o, "i"), (int)Number(runId, entry, o, "s"), (int)Number(runId, entry, o, "k")), Number(runId, entry, o, "b"));

    private static double Number(string runId, JournalEntry entry, JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out double d) ? d : throw Corrupt(runId, entry, $"'{name}' is missing or not a number");

    private static JsonObject Parse(string runId, JournalEntry entry)
    {
        try
        {
            return JsonNode.Parse(entry.Payload) as JsonObject ?? throw Corrupt(runId, entry, "the payload is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Corrupt(runId, entry, e.Message);
        }
    }

    private static RunStoreException Corrupt(string runId, JournalEntry entry, string what) =>
        new($"Run '{runId}': journal entry {entry.Sequence} ({entry.Kind}) is corrupt: {what}. The run cannot be rebuilt; the store was not changed.");
}
