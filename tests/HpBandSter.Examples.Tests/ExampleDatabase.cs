using Npgsql;

namespace HpBandSter.Examples.Tests;

/// <summary>
/// A database of its own on the test PostgreSQL server named by HPBANDSTER_TEST_POSTGRES (scripts/test.sh starts one;
/// by hand: <c>eval "$(scripts/postgres.sh start)"</c>): created as <c>hpb_&lt;random&gt;</c>, dropped with its
/// connections on dispose. A missing variable fails the test; it is never skipped.
/// </summary>
internal sealed class ExampleDatabase : IAsyncDisposable
{
    public const string Variable = "HPBANDSTER_TEST_POSTGRES";

    private ExampleDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>A connection string for the database as the test server's superuser.</summary>
    public string ConnectionString { get; }

    private static string Admin => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set: the cluster example's test needs a PostgreSQL server where it may create a database, given as an Npgsql " +
            "connection string of a superuser (for example \"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\"). scripts/test.sh " +
            "starts one; by hand: eval \"$(scripts/postgres.sh start)\", and scripts/postgres.sh stop \"$HPBANDSTER_POSTGRES_DIR\" afterwards.");

    /// <summary>Creates a fresh database.</summary>
    public static async Task<ExampleDatabase> CreateAsync()
    {
        var admin = Admin;
        var name = "hpb_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        return new ExampleDatabase(name, new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString);
    }

    /// <summary>Runs a query with parameters (<c>@p0</c>, <c>@p1</c>, ...) and returns every row's columns as text.</summary>
    public async Task<List<string?[]>> QueryAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"p{i}", parameters[i]);
        }

        await using var reader = await command.ExecuteReaderAsync();
        List<string?[]> rows = [];
        while (await reader.ReadAsync())
        {
            var row = new string?[reader.FieldCount];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = reader.IsDBNull(c) ? null : Convert.ToString(reader.GetValue(c), System.Globalization.CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(Admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
