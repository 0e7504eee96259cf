using System.Data;
using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;

namespace HpBandSter.Orleans.Storage;

/// <summary>
/// The cluster run store: tables prefixed <c>hpbandster_</c> in the first schema of the connection's search path of
/// a PostgreSQL database (they can share the database with Orleans' own tables).
/// </summary>
/// <remarks>
/// Concurrent appends of this process are written by one writer loop in shared transactions (group commit); the run
/// row is locked (<c>FOR UPDATE</c>) while its sequence is checked, so appends from several silos to one run are
/// serialised and exactly one of two racing appends wins.
/// An append's cancellation token is only checked before the append is queued; once queued it is written or
/// refused. When the connection fails at COMMIT the outcome is unknown: the callers get a
/// <see cref="RunStoreException"/>, and reading the run (or the next append's conflict) tells what was written.
/// </remarks>
public sealed class PostgresRunStore : IRunStore, IAsyncDisposable, IDisposable
{
    /// <summary>The key of the transaction-level advisory lock that serialises schema creation across processes.</summary>
    private const long SchemaLockKey = 0x4850_4253_5354_0001; // "HPBSST" + 1

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS hpbandster_schema_version (
            id integer NOT NULL PRIMARY KEY CHECK (id = 1),
            version integer NOT NULL);
        CREATE TABLE IF NOT EXISTS hpbandster_runs (
            id text NOT NULL PRIMARY KEY,
            spec text NOT NULL,
            created bigint NOT NULL,
            last_seq bigint NOT NULL DEFAULT 0,
            state text NOT NULL,
            objective text NOT NULL,
            optimizer text NOT NULL,
            finished integer NOT NULL,
            planned integer NOT NULL,
            best_loss double precision,
            summary_created bigint NOT NULL,
            updated bigint NOT NULL,
            owner text NOT NULL DEFAULT '');
        CREATE INDEX IF NOT EXISTS hpbandster_runs_state ON hpbandster_runs (state);
        CREATE INDEX IF NOT EXISTS hpbandster_runs_created ON hpbandster_runs (created);
        CREATE TABLE IF NOT EXISTS hpbandster_journal (
            run_id text NOT NULL REFERENCES hpbandster_runs (id),
            seq bigint NOT NULL,
            kind text NOT NULL,
            payload text NOT NULL,
            PRIMARY KEY (run_id, seq));
        CREATE TABLE IF NOT EXISTS hpbandster_snapshots (
            run_id text NOT NULL PRIMARY KEY REFERENCES hpbandster_runs (id),
            seq bigint NOT NULL,
            data bytea NOT NULL);
        """;

    private const string SummaryColumns = "state, objective, optimizer, finished, planned, best_loss, summary_created, updated, owner";

    private readonly NpgsqlDataSource dataSource;
    private readonly AppendQueue queue;

    /// <summary>Creates a store over the database named by an Npgsql <paramref name="connectionString"/> (nothing is opened before use).</summary>
    public PostgresRunStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            // The message of a malformed connection string may quote it (and so a password): do not pass it on.
            throw new RunStoreException($"The PostgreSQL connection string is malformed ({ex.GetType().Name}); check its keys and quoting.");
        }

        var database = string.IsNullOrEmpty(builder.Database) ? builder.Username : builder.Database;
        Description = $"PostgreSQL run store (host {builder.Host ?? "localhost"}, port {builder.Port}, database {database ?? "(default)"}, user {builder.Username ?? "(default)"}"
            + (string.IsNullOrEmpty(builder.SearchPath) ? ")" : $", search path {builder.SearchPath})");
        dataSource = NpgsqlDataSource.Create(builder);
        queue = new AppendQueue(CommitBatchAsync, ex => Wrap("append", ex));
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                command.Parameters.AddWithValue("key", SchemaLockKey);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            long version = 0;
            await using (var command = new NpgsqlCommand("SELECT to_regclass('hpbandster_schema_version') IS NOT NULL", connection, transaction))
            {
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    command.CommandText = "SELECT version FROM hpbandster_schema_version WHERE id = 1";
                    version = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
                }
            }

            if (version > RunStoreChecks.SchemaVersion)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                throw new RunStoreException(
                    $"{Description} was written by a newer HpBandSter.Orleans (schema v{version}, this program understands up to v{RunStoreChecks.SchemaVersion}); use a newer program or another database.");
            }

            await using (var command = new NpgsqlCommand(Schema, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (version == 1)
                {
                    // v1 → v2: runs get their owner (RunSummary.Owner); rows of v1 have none, so any silo brings them back.
                    command.CommandText = "ALTER TABLE hpbandster_runs ADD COLUMN IF NOT EXISTS owner text NOT NULL DEFAULT ''";
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                command.CommandText = $"INSERT INTO hpbandster_schema_version (id, version) VALUES (1, {RunStoreChecks.SchemaVersion}) ON CONFLICT (id) DO UPDATE SET version = excluded.version";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
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
            await using var command = new NpgsqlCommand(
                $"INSERT INTO hpbandster_runs (id, spec, created, last_seq, {SummaryColumns}) VALUES (@id, @spec, @created, 0, @state, @objective, @optimizer, @finished, @planned, @best, @screated, @updated, @owner) ON CONFLICT (id) DO NOTHING",
                connection);
            command.Parameters.AddWithValue("id", header.RunId);
            command.Parameters.AddWithValue("spec", header.SpecJson);
            command.Parameters.AddWithValue("created", header.CreatedAt.UtcTicks);
            AddSummaryParameters(command, summary);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (NpgsqlException ex)
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
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var check = new NpgsqlCommand("SELECT last_seq FROM hpbandster_runs WHERE id = @id FOR SHARE", connection, transaction))
            {
                check.Parameters.AddWithValue("id", runId);
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

            await using (var command = new NpgsqlCommand(
                "INSERT INTO hpbandster_snapshots (run_id, seq, data) VALUES (@id, @seq, @data) ON CONFLICT (run_id) DO UPDATE SET seq = excluded.seq, data = excluded.data WHERE excluded.seq >= hpbandster_snapshots.seq",
                connection,
                transaction))
            {
                command.Parameters.AddWithValue("id", runId);
                command.Parameters.AddWithValue("seq", sequence);
                command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Bytea) { Value = snapshot.ToArray() });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
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

            // One consistent snapshot of header, snapshot and journal while appends go on.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            RunHeader header;
            RunSummary summary;
            long lastSequence;
            await using (var command = new NpgsqlCommand($"SELECT spec, created, last_seq, {SummaryColumns} FROM hpbandster_runs WHERE id = @id", connection, transaction))
            {
                command.Parameters.AddWithValue("id", runId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                header = new RunHeader(runId, reader.GetString(0), RunStoreChecks.FromTicks(reader.GetInt64(1)));
                lastSequence = reader.GetInt64(2);
                summary = ReadSummary(runId, reader, 3);
            }

            var start = fromSequence;
            long snapshotSequence = 0;
            byte[]? snapshot = null;
            if (useSnapshot)
            {
                await using var command = new NpgsqlCommand("SELECT seq, data FROM hpbandster_snapshots WHERE run_id = @id AND seq >= @from", connection, transaction);
                command.Parameters.AddWithValue("id", runId);
                command.Parameters.AddWithValue("from", fromSequence);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    snapshotSequence = reader.GetInt64(0);
                    if (snapshotSequence > lastSequence)
                    {
                        throw RunStoreChecks.Corrupt(Description, runId, snapshotSequence, $"the snapshot is beyond the journal's end ({lastSequence})");
                    }

                    snapshot = reader.GetFieldValue<byte[]>(1);
                    start = snapshotSequence;
                }
            }

            var entries = new List<JournalEntry>();
            var next = start + 1;
            await using (var command = new NpgsqlCommand("SELECT seq, kind, payload FROM hpbandster_journal WHERE run_id = @id AND seq > @from ORDER BY seq", connection, transaction))
            {
                command.Parameters.AddWithValue("id", runId);
                command.Parameters.AddWithValue("from", start);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
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
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new StoredRun(header, summary, snapshotSequence, snapshot, entries);
        }
        catch (NpgsqlException ex)
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
            await using var command = new NpgsqlCommand($"SELECT id, {SummaryColumns} FROM hpbandster_runs ORDER BY created DESC, id DESC", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<RunSummary>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(ReadSummary(reader.GetString(0), reader, 1));
            }

            return result;
        }
        catch (NpgsqlException ex)
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
            await using var command = new NpgsqlCommand("SELECT id FROM hpbandster_runs WHERE state = 'running' AND (owner = '' OR owner = @owner) ORDER BY created DESC, id DESC", connection);
            command.Parameters.AddWithValue("owner", owner);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<string>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result.Add(reader.GetString(0));
            }

            return result;
        }
        catch (NpgsqlException ex)
        {
            throw Wrap("list unfinished runs", ex);
        }
    }

    /// <summary>Disposes synchronously (a host disposed with <c>Dispose()</c> disposes its services so).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Finishes the pending appends and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await queue.DisposeAsync().ConfigureAwait(false);
        await dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task CommitBatchAsync(IReadOnlyList<PendingAppend> batch)
    {
        // Lock run rows in one order (by id) so that batches of several silos cannot deadlock; appends to one run
        // keep their order (OrderBy is stable).
        var ordered = batch.OrderBy(a => a.RunId, StringComparer.Ordinal).ToList();
        await using var connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false);

        // Fast path: the whole batch in one round trip. A statement that fails (a stray row, say) aborts it; the
        // batch is then written again append by append, each in a savepoint, so the failure stays with its caller.
        if (!await TryCommitPipelinedAsync(connection, ordered).ConfigureAwait(false))
        {
            await CommitOneByOneAsync(connection, ordered).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryCommitPipelinedAsync(NpgsqlConnection connection, List<PendingAppend> ordered)
    {
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using var write = new NpgsqlBatch(connection, transaction);
        var updates = new NpgsqlBatchCommand[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            updates[i] = AddAppendCommands(write, ordered[i]);
        }

        var lastSequences = new long?[ordered.Count];
        try
        {
            await using (var reader = await write.ExecuteReaderAsync().ConfigureAwait(false))
            {
                for (var i = 0; i < ordered.Count; i++)
                {
                    if (i > 0 && !await reader.NextResultAsync().ConfigureAwait(false))
                    {
                        throw new RunStoreException($"{Description}: the server returned fewer results than the batch has appends (internal error).");
                    }

                    if (await reader.ReadAsync().ConfigureAwait(false))
                    {
                        lastSequences[i] = reader.GetInt64(0);
                    }
                }

                while (await reader.NextResultAsync().ConfigureAwait(false))
                {
                }
            }
        }
        catch (PostgresException)
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
            return false;
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        for (var i = 0; i < ordered.Count; i++)
        {
            Complete(ordered[i], lastSequences[i], updates[i].RecordsAffected);
        }

        return true;
    }

    private async Task CommitOneByOneAsync(NpgsqlConnection connection, List<PendingAppend> ordered)
    {
        var outcomes = new List<(PendingAppend Append, long? Last, int Updated)>(ordered.Count);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        for (var i = 0; i < ordered.Count; i++)
        {
            var append = ordered[i];
            var savepoint = "a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await using var write = new NpgsqlBatch(connection, transaction);
            write.BatchCommands.Add(new NpgsqlBatchCommand($"SAVEPOINT {savepoint}"));
            var update = AddAppendCommands(write, append);
            write.BatchCommands.Add(new NpgsqlBatchCommand($"RELEASE SAVEPOINT {savepoint}"));

            long? lastSequence = null;
            try
            {
                await using var reader = await write.ExecuteReaderAsync().ConfigureAwait(false);
                if (await reader.ReadAsync().ConfigureAwait(false))
                {
                    lastSequence = reader.GetInt64(0);
                }

                while (await reader.NextResultAsync().ConfigureAwait(false))
                {
                }
            }
            catch (PostgresException ex)
            {
                await transaction.RollbackAsync(savepoint).ConfigureAwait(false);
                append.Fail(Wrap($"append to run '{append.RunId}'", ex));
                continue;
            }

            outcomes.Add((append, lastSequence, update.RecordsAffected));
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        foreach (var (append, last, updated) in outcomes)
        {
            Complete(append, last, updated);
        }
    }

    /// <summary>
    /// Adds one append's statements: lock the run row and read its last sequence; insert the entries and replace the
    /// summary only if the append continues the journal (the row stays locked, so the condition cannot change
    /// between the statements). Returns the update, whose affected row count says whether the append was written.
    /// </summary>
    private static NpgsqlBatchCommand AddAppendCommands(NpgsqlBatch write, PendingAppend append)
    {
        var continues = append.Entries.Count > 0;
        var previous = continues ? append.Entries[0].Sequence - 1 : 0;
        var check = new NpgsqlBatchCommand("SELECT last_seq FROM hpbandster_runs WHERE id = @id FOR UPDATE");
        check.Parameters.AddWithValue("id", append.RunId);
        write.BatchCommands.Add(check);
        if (continues)
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO hpbandster_journal (run_id, seq, kind, payload) SELECT @id, s, k, p FROM unnest(@seqs, @kinds, @payloads) AS t (s, k, p) WHERE EXISTS (SELECT 1 FROM hpbandster_runs WHERE id = @id AND last_seq = @previous)");
            insert.Parameters.AddWithValue("id", append.RunId);
            insert.Parameters.AddWithValue("previous", previous);
            insert.Parameters.AddWithValue("seqs", append.Entries.Select(e => e.Sequence).ToArray());
            insert.Parameters.AddWithValue("kinds", append.Entries.Select(e => e.Kind).ToArray());
            insert.Parameters.AddWithValue("payloads", append.Entries.Select(e => e.Payload).ToArray());
            write.BatchCommands.Add(insert);
        }

        var update = new NpgsqlBatchCommand(continues
            ? "UPDATE hpbandster_runs SET last_seq = @last, state = @state, objective = @objective, optimizer = @optimizer, finished = @finished, planned = @planned, best_loss = @best, summary_created = @screated, updated = @updated, owner = @owner WHERE id = @id AND last_seq = @previous"
            : "UPDATE hpbandster_runs SET state = @state, objective = @objective, optimizer = @optimizer, finished = @finished, planned = @planned, best_loss = @best, summary_created = @screated, updated = @updated, owner = @owner WHERE id = @id");
        update.Parameters.AddWithValue("id", append.RunId);
        update.Parameters.AddWithValue("previous", previous);
        update.Parameters.AddWithValue("last", previous + append.Entries.Count);
        AddSummaryParameters(update.Parameters, append.Summary);
        write.BatchCommands.Add(update);
        return update;
    }

    /// <summary>After COMMIT: the append was written (one row updated), or its run is missing, or it did not continue the journal.</summary>
    private void Complete(PendingAppend append, long? lastSequence, int updated)
    {
        if (lastSequence is not long last)
        {
            append.Fail(new RunStoreException($"{Description}: cannot append to run '{append.RunId}': there is no such run."));
        }
        else if (updated != 1)
        {
            append.Fail(new RunStoreConflictException(append.RunId, last + 1, append.Entries.Count > 0 ? append.Entries[0].Sequence : last + 1));
        }
        else
        {
            append.Succeed();
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new RunStoreException($"{Description}: cannot connect: {Reason(ex)}", ex);
        }
    }

    private static string Reason(Exception ex)
    {
        if (ex is PostgresException postgres)
        {
            return $"the server says: {postgres.MessageText} (SQLSTATE {postgres.SqlState})";
        }

        var socket = FindInner<SocketException>(ex);
        if (socket is not null)
        {
            return $"{ex.Message} ({socket.Message})";
        }

        var timeout = FindInner<TimeoutException>(ex);
        return timeout is not null ? $"{ex.Message} ({timeout.Message})" : ex.Message;
    }

    private static T? FindInner<T>(Exception ex)
        where T : Exception
    {
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static void AddSummaryParameters(NpgsqlCommand command, RunSummary summary) => AddSummaryParameters(command.Parameters, summary);

    private static void AddSummaryParameters(NpgsqlParameterCollection parameters, RunSummary summary)
    {
        parameters.AddWithValue("state", summary.State);
        parameters.AddWithValue("objective", summary.Objective);
        parameters.AddWithValue("optimizer", summary.Optimizer);
        parameters.AddWithValue("finished", summary.Finished);
        parameters.AddWithValue("planned", summary.Planned);
        parameters.Add(new NpgsqlParameter("best", NpgsqlDbType.Double) { Value = summary.BestLoss is double best ? best : DBNull.Value });
        parameters.AddWithValue("screated", summary.CreatedAt.UtcTicks);
        parameters.AddWithValue("updated", summary.UpdatedAt.UtcTicks);
        parameters.AddWithValue("owner", summary.Owner);
    }

    private static RunSummary ReadSummary(string runId, NpgsqlDataReader reader, int offset) => new(
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

    private RunStoreException Wrap(string action, Exception ex) => ex switch
    {
        RunStoreException store => store,
        _ => new RunStoreException($"{Description}: cannot {action}: {Reason(ex)}", ex),
    };
}
