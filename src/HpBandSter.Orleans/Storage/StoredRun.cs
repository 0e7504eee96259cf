namespace HpBandSter.Orleans.Storage;

/// <summary>A run as read back from a store.</summary>
/// <param name="Header">Id, specification, creation time.</param>
/// <param name="Summary">The latest summary row.</param>
/// <param name="SnapshotSequence">The sequence the snapshot was taken at, or 0 when none is returned.</param>
/// <param name="Snapshot">The snapshot, or null.</param>
/// <param name="Entries">Journal entries after the snapshot (or after the requested sequence), in order.</param>
public sealed record StoredRun(RunHeader Header, RunSummary Summary, long SnapshotSequence, byte[]? Snapshot, IReadOnlyList<JournalEntry> Entries)
{
    /// <summary>The last sequence read (the snapshot's when there are no entries after it).</summary>
    public long LastSequence => Entries.Count > 0 ? Entries[^1].Sequence : SnapshotSequence;
}
