namespace HpBandSter.Orleans.Storage;

/// <summary>
/// Where runs are kept: one header per run, an append-only journal of its events, the latest snapshot, and a
/// summary row for listing. Two implementations (SQLite for the embedded default, PostgreSQL for a cluster) pass
/// one conformance suite.
/// </summary>
/// <remarks>
/// <para>Cost: an append writes its entries and updates one summary row, whatever the journal's length; nothing
/// rewrites a run's history. Appends of concurrent callers may be grouped into one transaction (group commit);
/// a returned <see cref="AppendAsync"/> means the entries are durable against a process crash.</para>
/// <para>Sequences are gapless per run, starting at 1; an append whose first sequence is not the last one + 1 is
/// refused with <see cref="RunStoreConflictException"/> (another activation of the run wrote meanwhile), and
/// nothing of it is written. A batch is written whole or not at all.</para>
/// </remarks>
public interface IRunStore
{
    /// <summary>A short description for logs and errors (the SQLite file, or the PostgreSQL host and database; never a password).</summary>
    string Description { get; }

    /// <summary>Creates the schema if missing (idempotent, safe to call from several processes at once) and checks its version.</summary>
    /// <exception cref="RunStoreException">The store is unreachable, refuses the credentials, or holds a schema of a newer version.</exception>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a run; false (and nothing changed) when a run with this id exists.</summary>
    Task<bool> CreateRunAsync(RunHeader header, RunSummary summary, CancellationToken cancellationToken = default);

    /// <summary>Appends <paramref name="entries"/> (consecutive sequences) and replaces the run's summary, atomically.</summary>
    /// <exception cref="RunStoreConflictException">The first sequence is not the run's last + 1.</exception>
    /// <exception cref="RunStoreException">The run does not exist, or the store failed.</exception>
    Task AppendAsync(string runId, IReadOnlyList<JournalEntry> entries, RunSummary summary, CancellationToken cancellationToken = default);

    /// <summary>Stores a snapshot of the run's state as of <paramref name="sequence"/> (replacing an older one).</summary>
    Task SaveSnapshotAsync(string runId, long sequence, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default);

    /// <summary>
    /// The run's header, summary, latest snapshot (if any, and if its sequence is at least <paramref name="fromSequence"/>)
    /// and its journal entries with a sequence above <paramref name="fromSequence"/> (or above the snapshot's, when
    /// <paramref name="useSnapshot"/> and one exists), in order; null when there is no such run.
    /// </summary>
    /// <exception cref="RunStoreException">A record cannot be read (corrupt); the message names the run and sequence.</exception>
    Task<StoredRun?> ReadAsync(string runId, long fromSequence = 0, bool useSnapshot = true, CancellationToken cancellationToken = default);

    /// <summary>Summaries of all runs, newest first.</summary>
    Task<IReadOnlyList<RunSummary>> ListRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of the runs whose summary state is running and whose <see cref="RunSummary.Owner"/> is
    /// <paramref name="owner"/> or empty: what a silo of that service brings back after a crash.
    /// </summary>
    Task<IReadOnlyList<string>> ListUnfinishedRunIdsAsync(string owner, CancellationToken cancellationToken = default);
}
