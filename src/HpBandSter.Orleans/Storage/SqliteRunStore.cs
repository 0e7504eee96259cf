using System.Data;
using Microsoft.Data.Sqlite;

namespace HpBandSter.Orleans.Storage;

/// <summary>
/// The embedded run store: one SQLite file (the silo keeps <c>&lt;data directory&gt;/runs.db</c>) in WAL mode.
/// </summary>
/// <remarks>
/// <para>Durability: <c>synchronous=NORMAL</c> in WAL mode, so a committed append survives a crash of the process;
/// a power loss or an operating-system crash may lose the last commits (never corrupt the file).</para>
/// <para>Concurrent appends are written by one writer loop in shared transactions (group commit). Several
/// processes may open the same file (writers wait up to the busy timeout), but a file on a network share is not
/// supported by SQLite's locking.</para>
/// <para>An append's cancellation token is only checked before the append is queued; once queued it is written or
/// refused. When a transaction fails at COMMIT its callers get a <see cref="RunStoreException"/>; reading the run
/// (or the next append's conflict) tells what was written.</para>
/// </remarks>
public sealed class SqliteRunStore : IRunStore, IAsyncDisposable, IDisposable
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS runs (
            id TEXT NOT NULL PRIMARY KEY,
            spec TEXT NOT NULL,
            created INTEGER NOT NULL,
            last_seq INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            objective TEXT NOT NULL,
            optimizer TEXT NOT NULL,
            finished INTEGER NOT NULL,
            planned INTEGER NOT NULL,
            best_loss REAL,
            summary_created INTEGER NOT NULL,
            updated INTEGER NOT NULL,
            owner TEXT NOT NULL DEFAULT '');
        CREATE INDEX IF NOT EXISTS runs_state ON runs (state);
        CREATE INDEX IF NOT EXISTS runs_created ON runs (created);
        CREATE TABLE IF NOT EXISTS journal (
            run_id TEXT NOT NULL REFERENCES runs (id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS snapshots (
            run_id TEXT NOT NULL PRIMARY KEY REFERENCES runs (id),
            seq INTEGER NOT NULL,
            data BLOB NOT NULL);
        """;

    private const string SummaryColumns = "state, objective, optimizer, finished, planned, best_loss, summary_created, updated, owner";

    private readonly string connectionString;
    private readonly AppendQueue queue;
    private SqliteConnection? writer;
    private WriterCommands? writerCommands;

    /// <summary>Creates a store over the SQLite file <paramref name="path"/> (created with its directory by <see cref="InitializeAsync"/>).</summary>
    public SqliteRunStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
            ForeignKeys = true,
        }.ToString();
        queue = new AppendQueue(CommitBatchAsync, ex => Wrap("append", ex));
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Description => $"SQLite run store '{Path}'";

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var directory = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

            // BEGIN IMMEDIATE serialises concurrent initializers (also across processes); nothing reaches the file
            // before COMMIT, so a refused (newer) schema is left exactly as it was.
            await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false))
            {
                var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                if (version > RunStoreChecks.SchemaVersion)
                {
                    throw NewerSchema(version);
                }

                await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);" + Schema, cancellationToken).ConfigureAwait(false);
                if (version == 1)
                {
                    // v1 → v2: runs get their owner (RunSummary.Owner); rows of v1 have none, so any silo brings them back.
                    await ExecuteAsync(connection, transaction, "ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT ''", cancellationToken).ConfigureAwait(false);
                }

                if (version != RunStoreChecks.SchemaVersion)
                {
                    await ExecuteAsync(connection, transaction, $"INSERT INTO schema_version (id, version) VALUES (1, {RunStoreChecks.SchemaVersion}) ON CONFLICT (id) DO UPDATE SET version = excluded.version", cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            // journal_mode is stored in the file (persistent); synchronous is set on every connection (OpenAsync).
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw Wrap("initialize", ex);
        }
    }

    /// <inheritdoc />
    public async Task<bool> CreateRunAsync(RunHeader header, RunSummary summary, CancellationToken cancellationToken = default)
    {
        RunStoreChecks.CheckCreate(header, summary);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO runs (id, spec, created, last_seq, {SummaryColumns}) VALUES ($id, $spec, $created, 0, $state, $objective, $optimizer, $finished, $planned, $best, $screated, $updated, $owner) ON CONFLICT (id) DO NOTHING";
            command.Parameters.AddWithValue("$id", header.RunId);
            command.Parameters.AddWithValue("$spec", header.SpecJson);
            command.Parameters.AddWithValue("$created", header.CreatedAt.UtcTicks);
            AddSummaryParameters(command, summary);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (SqliteException ex)
        {
            throw Wrap($"create run '{header.RunId}'", ex);
        }
    }

    /// <inheritdoc />
    public Task AppendAsync(string runId, IReadOnlyList<JournalEntry> entries, RunSummary summary, CancellationToken cancellationToken = default)
    {
        RunStoreChecks.CheckAppend(runId, entries, summary);
        cancellationToken.ThrowIfCancellationRequested();
        return queue.EnqueueAsync(new PendingAppend(runId, entries.ToArray(), summary));
    }

    /// <inheritdoc />
    public async Task SaveSnapshotAsync(string runId, long sequence, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default)
    {
        RunStoreChecks.CheckRunId(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var check = connection.CreateCommand())
            {
                check.Transaction = transaction;
                check.CommandText = "SELECT last_seq FROM runs WHERE id = $id";
                check.Parameters.AddWithValue("$id", runId);
                var last = await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (last is not long lastSequence)
                {
                    throw new RunStoreException($"{Description}: cannot save a snapshot of run '{runId}': there is no such run.");
                }

                if (sequence > lastSequence)
                {
                    throw new RunStoreException($"{Description}: cannot save a snapshot of run '{runId}' at sequence {sequence}: its journal ends at {lastSequence}.");
                }
            }

            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO snapshots (run_id, seq, data) VALUES ($id, $seq, $data) ON CONFLICT (run_id) DO UPDATE SET seq = excluded.seq, data = excluded.data WHERE excluded.seq >= snapshots.seq";
                command.Parameters.AddWithValue("$id", runId);
                command.Parameters.AddWithValue("$seq", sequence);
                command.Parameters.Add("$data", SqliteType.Blob).Value = snapshot.ToArray();
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw Wrap($"save a snapshot of run '{runId}'", ex);
        }
    }

    /// <inheritdoc />
    public async Task<StoredRun?> ReadAsync(string runId, long fromSequence = 0, bool useSnapshot = true, CancellationToken cancellationToken = default)
    {
        RunStoreChecks.CheckRunId(runId);
        ArgumentOutOfRangeException.ThrowIfNegative(fromSequence);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

            // A deferred transaction is one consistent read snapshot in WAL mode (appends may commit meanwhile).
            await using var transaction = connection.BeginTransaction(deferred: true);
            RunHeader header;
            RunSummary summary;
            long lastSequence;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT spec, created, last_seq, {SummaryColumns} FROM runs WHERE id = $id";
                command.Parameters.AddWithValue("$id", runId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                try
                {
                    header = new RunHeader(runId, reader.GetString(0), RunStoreChecks.FromTicks(reader.GetInt64(1)));
                    lastSequence = reader.GetInt64(2);
                    summary = ReadSummary(runId, reader, 3);
                }
                catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or ArgumentException)
                {
                    throw new RunStoreException($"{Description}: run '{runId}' is corrupt: its header or summary cannot be read ({ex.Message}).", ex);
                }
            }

            var start = fromSequence;
            long snapshotSequence = 0;
            byte[]? snapshot = null;
            if (useSnapshot)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "SELECT seq, data FROM snapshots WHERE run_id = $id AND seq >= $from";
                command.Parameters.AddWithValue("$id", runId);
                command.Parameters.AddWithValue("$from", fromSequence);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.IsDBNull(0) || reader.GetFieldType(0) != typeof(long) || reader.IsDBNull(1) || reader.GetFieldType(1) != typeof(byte[]))
                    {
                        throw new RunStoreException($"{Description}: run '{runId}' is corrupt: its snapshot cannot be read.");
                    }

                    snapshotSequence = reader.GetInt64(0);
                    if (snapshotSequence > lastSequence)
                    {
                        throw RunStoreChecks.Corrupt(Description, runId, snapshotSequence, $"the snapshot is beyond the journal's end ({lastSequence})");
                    }

                    snapshot = (byte[])reader.GetValue(1);
                    start = snapshotSequence;
                }
            }

            var entries = new List<JournalEntry>();
            var next = start + 1;
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "SELECT seq, kind, payload FROM journal WHERE run_id = $id AND seq > $from ORDER BY seq";
                command.Parameters.AddWithValue("$id", runId);
                command.Parameters.AddWithValue("$from", start);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.IsDBNull(0) || reader.GetFieldType(0) != typeof(long))
                    {
                        throw RunStoreChecks.Corrupt(Description, runId, next, "an entry's sequence is not a number");
                    }

                    RunStoreChecks.AddEntry(
                        entries,
                        Description,
                        runId,
                        next,
                        reader.GetInt64(0),
                        reader.IsDBNull(1) ? null : reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2));
                    next++;
                }
            }

            RunStoreChecks.CheckEnd(Description, runId, start, next, lastSequence);
            return new StoredRun(header, summary, snapshotSequence, snapshot, entries);
        }
        catch (SqliteException ex)
        {
            throw Wrap($"read run '{runId}'", ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunSummary>> ListRunsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT id, {SummaryColumns} FROM runs ORDER BY created DESC, id DESC";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<RunSummary>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var runId = reader.GetString(0);
                try
                {
                    result.Add(ReadSummary(runId, reader, 1));
                }
                catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or ArgumentException)
                {
                    throw new RunStoreException($"{Description}: run '{runId}' is corrupt: its summary cannot be read ({ex.Message}).", ex);
                }
            }

            return result;
        }
        catch (SqliteException ex)
        {
            throw Wrap("list runs", ex);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListUnfinishedRunIdsAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id FROM runs WHERE state = 'running' AND (owner = '' OR owner = $owner) ORDER BY created DESC, id DESC";
            command.Parameters.AddWithValue("$owner", owner);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<string>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(reader.GetString(0));
            }

            return result;
        }
        catch (SqliteException ex)
        {
            throw Wrap("list unfinished runs", ex);
        }
    }

    /// <summary>Disposes synchronously (a host disposed with <c>Dispose()</c> disposes its services so).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Finishes the pending appends and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        await queue.DisposeAsync().ConfigureAwait(false);
        if (writer is not null)
        {
            writerCommands?.Dispose();
            writerCommands = null;
            await writer.DisposeAsync().ConfigureAwait(false);
            writer = null;
        }
    }

    private async Task CommitBatchAsync(IReadOnlyList<PendingAppend> batch)
    {
        if (writer is null)
        {
            var connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false);
            writer = connection;
            writerCommands = new WriterCommands(connection);
        }

        try
        {
            try
            {
                // Fast path: the whole batch in one transaction, no savepoints. The sequence checks refuse conflicts
                // before anything is written, so a statement fails only on something unexpected (a stray row).
                await CommitBatchAsync(writer, writerCommands!, batch, isolateAppends: false).ConfigureAwait(false);
            }
            catch (SqliteException)
            {
                // Redo with each append in its own savepoint, so that the failure stays with its own caller.
                await CommitBatchAsync(writer, writerCommands!, batch, isolateAppends: true).ConfigureAwait(false);
            }
        }
        catch
        {
            // Start the next batch on a fresh connection (this one may be broken); the queue fails this batch's callers.
            writerCommands?.Dispose();
            writerCommands = null;
            await writer.DisposeAsync().ConfigureAwait(false);
            writer = null;
            throw;
        }
    }

    private async Task CommitBatchAsync(SqliteConnection connection, WriterCommands commands, IReadOnlyList<PendingAppend> batch, bool isolateAppends)
    {
        var committed = new List<PendingAppend>(batch.Count);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);
        commands.Enlist(transaction);
        for (var i = 0; i < batch.Count; i++)
        {
            var append = batch[i];
            if (append.IsCompleted)
            {
                continue; // refused on the fast path already
            }

            commands.CheckId.Value = append.RunId;
            var last = await commands.Check.ExecuteScalarAsync().ConfigureAwait(false);
            if (last is not long lastSequence)
            {
                append.Fail(new RunStoreException($"{Description}: cannot append to run '{append.RunId}': there is no such run."));
                continue;
            }

            var first = append.Entries.Count > 0 ? append.Entries[0].Sequence : lastSequence + 1;
            if (first != lastSequence + 1)
            {
                append.Fail(new RunStoreConflictException(append.RunId, lastSequence + 1, first));
                continue;
            }

            var savepoint = "a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (isolateAppends)
            {
                await transaction.SaveAsync(savepoint).ConfigureAwait(false);
            }

            try
            {
                foreach (var entry in append.Entries)
                {
                    commands.InsertId.Value = append.RunId;
                    commands.InsertSeq.Value = entry.Sequence;
                    commands.InsertKind.Value = entry.Kind;
                    commands.InsertPayload.Value = entry.Payload;
                    await commands.Insert.ExecuteNonQueryAsync().ConfigureAwait(false);
                }

                commands.SetSummary(append.RunId, first - 1 + append.Entries.Count, append.Summary);
                await commands.Update.ExecuteNonQueryAsync().ConfigureAwait(false);
                if (isolateAppends)
                {
                    await transaction.ReleaseAsync(savepoint).ConfigureAwait(false);
                }

                committed.Add(append);
            }
            catch (SqliteException ex) when (isolateAppends)
            {
                await transaction.RollbackAsync(savepoint).ConfigureAwait(false);
                append.Fail(Wrap($"append to run '{append.RunId}'", ex));
            }
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        foreach (var append in committed)
        {
            append.Succeed();
        }
    }

    /// <summary>The writer's statements, prepared once per connection and reused by every batch.</summary>
    private sealed class WriterCommands : IDisposable
    {
        public WriterCommands(SqliteConnection connection)
        {
            Check = connection.CreateCommand();
            Check.CommandText = "SELECT last_seq FROM runs WHERE id = $id";
            CheckId = Check.Parameters.Add("$id", SqliteType.Text);

            Insert = connection.CreateCommand();
            Insert.CommandText = "INSERT INTO journal (run_id, seq, kind, payload) VALUES ($id, $seq, $kind, $payload)";
            InsertId = Insert.Parameters.Add("$id", SqliteType.Text);
            InsertSeq = Insert.Parameters.Add("$seq", SqliteType.Integer);
            InsertKind = Insert.Parameters.Add("$kind", SqliteType.Text);
            InsertPayload = Insert.Parameters.Add("$payload", SqliteType.Text);

            Update = connection.CreateCommand();
            Update.CommandText = "UPDATE runs SET last_seq = $last, state = $state, objective = $objective, optimizer = $optimizer, finished = $finished, planned = $planned, best_loss = $best, summary_created = $screated, updated = $updated, owner = $owner WHERE id = $id";
            foreach (var name in new[] { "$id", "$last", "$state", "$objective", "$optimizer", "$finished", "$planned", "$best", "$screated", "$updated", "$owner" })
            {
                Update.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        public SqliteCommand Check { get; }

        public SqliteParameter CheckId { get; }

        public SqliteCommand Insert { get; }

        public SqliteParameter InsertId { get; }

        public SqliteParameter InsertSeq { get; }

        public SqliteParameter InsertKind { get; }

        public SqliteParameter InsertPayload { get; }

        public SqliteCommand Update { get; }

        public void Enlist(SqliteTransaction transaction)
        {
            Check.Transaction = transaction;
            Insert.Transaction = transaction;
            Update.Transaction = transaction;
        }

        public void SetSummary(string runId, long last, RunSummary summary)
        {
            var p = Update.Parameters;
            p["$id"].Value = runId;
            p["$last"].Value = last;
            p["$state"].Value = summary.State;
            p["$objective"].Value = summary.Objective;
            p["$optimizer"].Value = summary.Optimizer;
            p["$finished"].Value = summary.Finished;
            p["$planned"].Value = summary.Planned;
            p["$best"].Value = summary.BestLoss is double best && !double.IsNaN(best) ? best : DBNull.Value;
            p["$screated"].Value = summary.CreatedAt.UtcTicks;
            p["$updated"].Value = summary.UpdatedAt.UtcTicks;
            p["$owner"].Value = summary.Owner;
        }

        public void Dispose()
        {
            Check.Dispose();
            Insert.Dispose();
            Update.Dispose();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA foreign_keys=ON;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<long> ReadVersionAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT version FROM schema_version WHERE id = 1";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddSummaryParameters(SqliteCommand command, RunSummary summary)
    {
        command.Parameters.AddWithValue("$state", summary.State);
        command.Parameters.AddWithValue("$objective", summary.Objective);
        command.Parameters.AddWithValue("$optimizer", summary.Optimizer);
        command.Parameters.AddWithValue("$finished", summary.Finished);
        command.Parameters.AddWithValue("$planned", summary.Planned);
        command.Parameters.AddWithValue("$best", summary.BestLoss is double best ? best : DBNull.Value);
        command.Parameters.AddWithValue("$screated", summary.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$updated", summary.UpdatedAt.UtcTicks);
        command.Parameters.AddWithValue("$owner", summary.Owner);
    }

    private static RunSummary ReadSummary(string runId, SqliteDataReader reader, int offset) => new(
        runId,
        reader.GetString(offset),
        reader.GetString(offset + 1),
        reader.GetString(offset + 2),
        reader.GetInt32(offset + 3),
        reader.GetInt32(offset + 4),
        reader.IsDBNull(offset + 5) ? null : reader.GetDouble(offset + 5),
        RunStoreChecks.FromTicks(reader.GetInt64(offset + 6)),
        RunStoreChecks.FromTicks(reader.GetInt64(offset + 7)),
        reader.GetString(offset + 8));

    private RunStoreException NewerSchema(long version) => new(
        $"{Description} was written by a newer HpBandSter.Orleans (schema v{version}, this program understands up to v{RunStoreChecks.SchemaVersion}); use a newer program or another data directory.");

    private RunStoreException Wrap(string action, Exception ex) => ex switch
    {
        RunStoreException store => store,
        SqliteException sqlite => new RunStoreException($"{Description}: cannot {action}: {sqlite.Message} (SQLite error {sqlite.SqliteErrorCode}).", ex),
        _ => new RunStoreException($"{Description}: cannot {action}: {ex.Message}", ex),
    };
}
