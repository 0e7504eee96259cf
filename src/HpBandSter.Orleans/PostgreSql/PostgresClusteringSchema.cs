using Npgsql;

namespace HpBandSter.Orleans.PostgreSql;

/// <summary>
/// Creates and checks the project's PostgreSQL schema for Orleans membership (ADO.NET clustering, invariant
/// <c>Npgsql</c>): the <c>orleansquery</c> table with the provider's query rows, the membership tables, and the
/// schema version in <c>hpbandster_orleans_schema</c>.
/// </summary>
public static class PostgresClusteringSchema
{
    /// <summary>The schema version this code creates and understands.</summary>
    public static int Version => PostgresClusteringSql.SchemaVersion;

    /// <summary>
    /// Creates whatever is missing (tables, query rows, version record) in one transaction under an advisory lock,
    /// so silos starting together are safe and re-running changes nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is not valid (the message never holds the password).</exception>
    /// <exception cref="PostgresClusteringException">
    /// The database is unreachable, refuses the credentials, or holds a schema version newer than <see cref="Version"/>
    /// (then nothing is changed). The message names host, port, database and user, never the password.
    /// </exception>
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        PostgresConnectionText.Parse(connectionString);
        var where = PostgresConnectionText.Describe(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresClusteringSql.AdvisoryLockKey});", cancellationToken);
            await ExecuteAsync(connection, transaction, PostgresClusteringSql.CreateVersionTable, cancellationToken);

            int? recorded;
            await using (var read = new NpgsqlCommand(PostgresClusteringSql.ReadVersion, connection, transaction))
            {
                recorded = await read.ExecuteScalarAsync(cancellationToken) is int v ? v : null;
            }

            if (recorded > Version)
            {
                await transaction.RollbackAsync(cancellationToken);
                throw new PostgresClusteringException(
                    $"Orleans clustering schema on {where} has version {recorded}, newer than this program understands ({Version}); " +
                    $"nothing was changed. Upgrade HpBandSter.Orleans, or use another database.");
            }

            await ExecuteAsync(connection, transaction, PostgresClusteringSql.CreateTables, cancellationToken);
            foreach (var (key, text) in PostgresClusteringSql.Queries)
            {
                await using var upsert = new NpgsqlCommand(PostgresClusteringSql.UpsertQuery, connection, transaction);
                upsert.Parameters.AddWithValue("Key", key);
                upsert.Parameters.AddWithValue("Text", text);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var write = new NpgsqlCommand(PostgresClusteringSql.WriteVersion, connection, transaction))
            {
                write.Parameters.AddWithValue("Version", Version);
                await write.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new PostgresClusteringException(PostgresConnectionText.Scrub($"Orleans clustering schema on {where}: {Reason(e)}", connectionString), e);
        }
        catch (NpgsqlException e)
        {
            throw new PostgresClusteringException($"Orleans clustering schema on {where}: cannot connect: {PostgresConnectionText.Scrub(Innermost(e), connectionString)}", e);
        }
        catch (TimeoutException e)
        {
            throw new PostgresClusteringException($"Orleans clustering schema on {where}: cannot connect: {e.Message}", e);
        }
    }

    /// <summary>
    /// The gateways (address and port) that the active silos of cluster <paramref name="clusterId"/> registered, as a
    /// client finds them; empty when there are none, or no schema yet. For diagnosing a client that cannot connect.
    /// </summary>
    /// <exception cref="PostgresClusteringException">The database is unreachable or refuses the credentials.</exception>
    public static async Task<IReadOnlyList<(string Address, int Port)>> ActiveGatewaysAsync(string connectionString, string clusterId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        var where = PostgresConnectionText.Describe(connectionString);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(PostgresClusteringSql.Queries.Single(q => q.Key == "GatewaysQueryKey").Value, connection);
            command.Parameters.AddWithValue("DeploymentId", clusterId);
            command.Parameters.AddWithValue("Status", ActiveStatus);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var gateways = new List<(string, int)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                gateways.Add((reader.GetString(0), reader.GetInt32(1)));
            }

            return gateways;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
        catch (PostgresException e)
        {
            throw new PostgresClusteringException(PostgresConnectionText.Scrub($"Orleans clustering on {where}: {Reason(e)}", connectionString), e);
        }
        catch (NpgsqlException e)
        {
            throw new PostgresClusteringException($"Orleans clustering on {where}: cannot connect: {PostgresConnectionText.Scrub(Innermost(e), connectionString)}", e);
        }
    }

    /// <summary>Orleans' <c>SiloStatus.Active</c> as the membership table stores it.</summary>
    private const int ActiveStatus = 3;

    private static string Reason(PostgresException e) => e.SqlState switch
    {
        PostgresErrorCodes.InvalidPassword => "the password was refused (28P01); check the user and password.",
        PostgresErrorCodes.InvalidAuthorizationSpecification => $"the login was refused (28000): {e.MessageText}",
        PostgresErrorCodes.InvalidCatalogName => $"the database does not exist (3D000): {e.MessageText}",
        PostgresErrorCodes.InsufficientPrivilege => $"the user may not create or change the schema (42501): {e.MessageText}",
        _ => $"{e.SqlState}: {e.MessageText}",
    };

    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(" → ", messages);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
