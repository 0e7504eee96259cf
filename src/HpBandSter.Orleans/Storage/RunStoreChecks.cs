using System.Text;
using System.Text.Json;

namespace HpBandSter.Orleans.Storage;

/// <summary>Argument checks and record validation shared by the run store backends.</summary>
internal static class RunStoreChecks
{
    /// <summary>The schema version this code writes and understands (v2: runs have an owner; v1 is upgraded on start).</summary>
    internal const int SchemaVersion = 2;

    internal const int MaxKindLength = 32;

    internal const int MaxRunIdLength = 200;

    public static void CheckRunId(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (runId.Length > MaxRunIdLength)
        {
            throw new ArgumentException($"A run id has at most {MaxRunIdLength} characters.", nameof(runId));
        }
    }

    public static void CheckCreate(RunHeader header, RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(summary);
        CheckRunId(header.RunId);
        ArgumentNullException.ThrowIfNull(header.SpecJson);
        CheckSummary(header.RunId, summary);
    }

    public static void CheckAppend(string runId, IReadOnlyList<JournalEntry> entries, RunSummary summary)
    {
        CheckRunId(runId);
        ArgumentNullException.ThrowIfNull(entries);
        CheckSummary(runId, summary);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] ?? throw new ArgumentException($"Entry {i} is null.", nameof(entries));
            if (entry.Sequence < 1)
            {
                throw new ArgumentException($"Run '{runId}': sequences start at 1 (entry {i} has {entry.Sequence}).", nameof(entries));
            }

            if (i > 0 && entry.Sequence != entries[i - 1].Sequence + 1)
            {
                throw new ArgumentException($"Run '{runId}': the entries of one append must have consecutive sequences ({entries[i - 1].Sequence} is followed by {entry.Sequence}).", nameof(entries));
            }

            if (string.IsNullOrEmpty(entry.Kind) || entry.Kind.Length > MaxKindLength)
            {
                throw new ArgumentException($"Run '{runId}', sequence {entry.Sequence}: a kind has 1 to {MaxKindLength} characters.", nameof(entries));
            }

            if (entry.Payload is null)
            {
                throw new ArgumentException($"Run '{runId}', sequence {entry.Sequence}: the payload is null.", nameof(entries));
            }
        }
    }

    private static void CheckSummary(string runId, RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.RunId != runId)
        {
            throw new ArgumentException($"The summary is for run '{summary.RunId}', not '{runId}'.", nameof(summary));
        }

        ArgumentNullException.ThrowIfNull(summary.State);
        ArgumentNullException.ThrowIfNull(summary.Owner);
        ArgumentNullException.ThrowIfNull(summary.Objective);
        ArgumentNullException.ThrowIfNull(summary.Optimizer);
    }

    /// <summary>Whether <paramref name="text"/> is one complete JSON value.</summary>
    public static bool IsJson(string text)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read())
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static RunStoreException Corrupt(string store, string runId, long sequence, string what) =>
        new($"{store}: run '{runId}' is corrupt at sequence {sequence}: {what}.");

    public static DateTimeOffset FromTicks(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    /// <summary>Validates one journal row and appends it; <paramref name="expected"/> is the sequence it must have.</summary>
    public static void AddEntry(List<JournalEntry> entries, string store, string runId, long expected, long sequence, string? kind, string? payload)
    {
        if (sequence != expected)
        {
            throw Corrupt(store, runId, expected, sequence > expected
                ? $"the journal skips from {expected - 1} to {sequence}"
                : $"the journal repeats or reorders sequence {sequence}");
        }

        if (string.IsNullOrEmpty(kind) || kind.Length > MaxKindLength)
        {
            throw Corrupt(store, runId, sequence, "the entry has no valid kind");
        }

        if (payload is null || !IsJson(payload))
        {
            throw Corrupt(store, runId, sequence, "the entry's payload is not JSON");
        }

        entries.Add(new JournalEntry(sequence, kind, payload));
    }

    /// <summary>Checks that the entries read reach the run's last sequence.</summary>
    public static void CheckEnd(string store, string runId, long start, long next, long lastSequence)
    {
        if (start < lastSequence && next - 1 != lastSequence)
        {
            throw Corrupt(store, runId, next, $"the journal ends at {next - 1} but the run's last sequence is {lastSequence}");
        }
    }
}
