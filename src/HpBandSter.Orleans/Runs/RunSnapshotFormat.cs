using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// A run's snapshot: everything a <see cref="RunHistory"/> holds after journal entry <c>sequence</c> — the Core
/// optimizer's own snapshot (its iterations, model observations, random position), the recorded configurations and
/// results, the pending jobs in ask order and the run's state — so an activation restores it and replays only the
/// entries after it.
/// </summary>
/// <remarks>
/// JSON (UTF-8). Doubles are written shortest-round-trip (non-finite losses as strings); configuration values keep
/// their type through a one-letter tag (d, l, s, b). A snapshot is a cache of the journal: when it cannot be used
/// (another format, a corrupt text) the run is rebuilt from the whole journal instead.
/// </remarks>
internal static class RunSnapshotFormat
{
    /// <summary>The format this version writes and reads.</summary>
    public const int Format = 1;

    public static byte[] Write(RunHistory history, string optimizerSnapshot)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteNumber("sequence", history.Sequence);
            w.WriteString("state", history.State.ToString());
            w.WritePropertyName("optimizer");
            w.WriteRawValue(optimizerSnapshot, skipInputValidation: true);
            w.WriteStartArray("configs");
            foreach (var config in history.Configs)
            {
                w.WriteStartArray();
                w.WriteNumberValue(config.Iteration);
                w.WriteNumberValue(config.Stage);
                w.WriteNumberValue(config.Index);
                w.WriteStartArray();
                foreach (var entry in config.Config)
                {
                    WriteEntry(w, entry);
                }

                w.WriteEndArray();
                w.WriteStringValue(config.InfoJson);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("runs");
            foreach (var run in history.Runs)
            {
                w.WriteStartArray();
                WriteKey(w, run.Key);
                WriteLoss(w, run.Loss);
                WriteNullableString(w, run.InfoJson);
                WriteNullableString(w, run.Error);
                w.WriteNumberValue(run.Submitted);
                w.WriteNumberValue(run.Started);
                w.WriteNumberValue(run.Finished);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteStartArray("pending");
            foreach (var pending in history.PendingInAskOrder())
            {
                w.WriteStartArray();
                WriteKey(w, WireJobKey.From(pending.Job.Key));
                w.WriteBooleanValue(pending.Job.IsNewConfig);
                w.WriteNumberValue(pending.Submitted);
                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>What a snapshot holds, read back.</summary>
    /// <exception cref="InvalidDataException">The snapshot is corrupt or of another format.</exception>
    public static Contents Read(string runId, ReadOnlySpan<byte> snapshot)
    {
        try
        {
            using var document = JsonDocument.Parse(snapshot.ToArray());
            var root = document.RootElement;
            var format = root.GetProperty("format").GetInt32();
            if (format != Format)
            {
                throw new FormatException($"it has format {format}, this version reads {Format}");
            }

            var configs = root.GetProperty("configs").EnumerateArray().Select(c => new ConfigData(
                c[0].GetInt32(),
                c[1].GetInt32(),
                c[2].GetInt32(),
                [.. c[3].EnumerateArray().Select(ReadEntry)],
                c[4].GetString()!)).ToList();
            var runs = root.GetProperty("runs").EnumerateArray().Select(r => new RunData(
                ReadKey(r, 0),
                ReadLoss(r[4]),
                r[5].GetString(),
                r[7].GetDouble(),
                r[8].GetDouble(),
                r[9].GetDouble(),
                r[6].GetString())).ToList();
            var pending = root.GetProperty("pending").EnumerateArray().Select(p => (Key: ReadKey(p, 0), IsNewConfig: p[4].GetBoolean(), Submitted: p[5].GetDouble())).ToList();
            return new Contents(
                root.GetProperty("sequence").GetInt64(),
                Enum.Parse<RunState>(root.GetProperty("state").GetString()!),
                root.GetProperty("optimizer").GetRawText(),
                configs,
                runs,
                pending);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or ArgumentException)
        {
            throw new InvalidDataException($"Run '{runId}': its snapshot cannot be read ({e.Message}).", e);
        }
    }

    private static void WriteKey(Utf8JsonWriter w, WireJobKey key)
    {
        w.WriteNumberValue(key.Iteration);
        w.WriteNumberValue(key.Stage);
        w.WriteNumberValue(key.Index);
        w.WriteNumberValue(key.Budget);
    }

    private static WireJobKey ReadKey(JsonElement array, int at) =>
        new(array[at].GetInt32(), array[at + 1].GetInt32(), array[at + 2].GetInt32(), array[at + 3].GetDouble());

    private static void WriteLoss(Utf8JsonWriter w, double? loss)
    {
        if (loss is not { } l)
        {
            w.WriteNullValue();
        }
        else if (double.IsFinite(l))
        {
            w.WriteNumberValue(l);
        }
        else
        {
            w.WriteStringValue(l.ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static double? ReadLoss(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => double.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => e.GetDouble(),
    };

    private static void WriteNullableString(Utf8JsonWriter w, string? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
        }
        else
        {
            w.WriteStringValue(value);
        }
    }

    private static void WriteEntry(Utf8JsonWriter w, ConfigEntry entry)
    {
        w.WriteStartArray();
        w.WriteStringValue(entry.Name);
        switch (entry.Value)
        {
            case double d:
                w.WriteStringValue("d");
                w.WriteNumberValue(d);
                break;
            case long l:
                w.WriteStringValue("l");
                w.WriteNumberValue(l);
                break;
            case bool b:
                w.WriteStringValue("b");
                w.WriteBooleanValue(b);
                break;
            case string s:
                w.WriteStringValue("s");
                w.WriteStringValue(s);
                break;
            default:
                throw new InvalidOperationException($"Configuration value '{entry.Name}' has an unexpected type {entry.Value.GetType().Name}.");
        }

        w.WriteEndArray();
    }

    private static ConfigEntry ReadEntry(JsonElement e) => new(e[0].GetString()!, e[1].GetString() switch
    {
        "d" => e[2].GetDouble(),
        "l" => e[2].GetInt64(),
        "b" => e[2].GetBoolean(),
        "s" => e[2].GetString()!,
        var tag => throw new FormatException($"unknown value tag '{tag}'"),
    });

    /// <summary>A snapshot's contents.</summary>
    public sealed record Contents(
        long Sequence,
        RunState State,
        string OptimizerSnapshot,
        IReadOnlyList<ConfigData> Configs,
        IReadOnlyList<RunData> Runs,
        IReadOnlyList<(WireJobKey Key, bool IsNewConfig, double Submitted)> Pending);
}
