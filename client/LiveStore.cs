using HpBandSter.Orleans.Storage;
using Microsoft.Data.Sqlite;
using StoredSummary = HpBandSter.Orleans.Storage.RunSummary;

namespace HpBandSter.Client;

/// <summary>
/// An embedded data directory's run store (<c>&lt;data dir&gt;/runs.db</c>) seen from outside the process that runs its
/// runs: its summary rows are polled for progress (never written), and a finished run's whole record is read from a
/// copy of the file (<see cref="OpenReplicaAsync"/>).
/// </summary>
internal sealed class LiveStore : IAsyncDisposable
{
    private readonly SqliteRunStore _store;

    private LiveStore(string path)
    {
        Path = path;
        _store = new SqliteRunStore(path);
    }

    /// <summary>The SQLite file.</summary>
    public string Path { get; }

    /// <summary>The store of <paramref name="dataDirectory"/>, or null when nothing was ever run with it.</summary>
    public static LiveStore? Open(string dataDirectory)
    {
        var path = System.IO.Path.Combine(dataDirectory, "runs.db");
        return File.Exists(path) ? new LiveStore(path) : null;
    }

    /// <summary>The run's summary row, or null when the store has no such run (or no schema yet).</summary>
    /// <exception cref="RunStoreException">The store cannot be read.</exception>
    public async Task<StoredSummary?> FindAsync(string runId, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredSummary> runs;
        try
        {
            runs = await _store.ListRunsAsync(cancellationToken);
        }
        catch (RunStoreException e) when (e.InnerException is SqliteException { SqliteErrorCode: 1 })
        {
            return null; // SQLITE_ERROR: no table yet, the process that creates the store has only just started
        }

        return runs.FirstOrDefault(r => r.RunId == runId);
    }

    /// <summary>
    /// A silo without evaluation slots over a consistent copy of the store (SQLite's online backup, which a running
    /// writer does not disturb): its run grains rebuild the runs from their journals, so a run's whole record and
    /// summary read exactly as from the process that runs it, while the original file is only read.
    /// </summary>
    /// <remarks>Meant for an ended run: the copy keeps only <paramref name="run"/>, and its silo evaluates nothing.</remarks>
    public async Task<LiveStoreReplica> OpenReplicaAsync(StoredSummary run, CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hpbandster-replica-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString()))
            using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = System.IO.Path.Combine(directory, "runs.db"), Pooling = false }.ToString()))
            {
                source.Open();
                copy.Open();
                source.BackupDatabase(copy);
                DropOtherRuns(copy, run.RunId);
            }

            // No slots: the replica evaluates nothing (a rebuilt run grain knows its run is complete from the journal).
            var session = await ClusterSession.StartEmbeddedAsync(0, directory, TextWriter.Null, cancellationToken);
            return new LiveStoreReplica(session, directory);
        }
        catch
        {
            LiveStoreReplica.DeleteQuietly(directory);
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await _store.DisposeAsync();

    /// <summary>Removes every other run from the copy, so that the replica silo brings none of them back.</summary>
    private static void DropOtherRuns(SqliteConnection copy, string runId)
    {
        try
        {
            using var command = copy.CreateCommand();
            command.CommandText = "DELETE FROM snapshots WHERE run_id <> $id; DELETE FROM journal WHERE run_id <> $id; DELETE FROM runs WHERE id <> $id;";
            command.Parameters.AddWithValue("$id", runId);
            command.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // A schema this client does not know: the other runs stay in the copy, where the replica only ever sees them wait.
        }
    }
}
