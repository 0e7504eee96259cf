using Npgsql;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// A database of its own on the test PostgreSQL server named by HPBANDSTER_TEST_POSTGRES (scripts/test.sh starts one;
/// developers: <c>eval "$(scripts/postgres.sh start)"</c>). Created as <c>hpb_&lt;random&gt;</c>, dropped (with its
/// connections and any role made by <see cref="CreateRoleAsync"/>) on dispose, so tests never see each other.
/// A missing variable fails the test; it is never skipped.
/// </summary>
internal sealed class TestPostgres : IAsyncDisposable
{
    public const string Variable = "HPBANDSTER_TEST_POSTGRES";

    private readonly List<string> _roles = [];

    private TestPostgres(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>A connection string for the database as the test server's superuser (no password).</summary>
    public string ConnectionString { get; }

    /// <summary>The server's host and port.</summary>
    public NpgsqlConnectionStringBuilder Server => new(Admin);

    private static string Admin => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set: these tests need a PostgreSQL server where they may create databases, given as an Npgsql connection string " +
            "of a superuser (for example \"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\"). scripts/test.sh starts one; " +
            "by hand: eval \"$(scripts/postgres.sh start)\", and scripts/postgres.sh stop afterwards.");

    /// <summary>Creates a fresh database, owned by <paramref name="owner"/> if given.</summary>
    public static async Task<TestPostgres> CreateAsync(string? owner = null)
    {
        var name = "hpb_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(Admin, $"CREATE DATABASE {name}" + (owner is null ? string.Empty : $" OWNER {owner}"));
        return new TestPostgres(name, new NpgsqlConnectionStringBuilder(Admin) { Database = name, Pooling = false }.ConnectionString);
    }

    /// <summary>Creates a login role with a password on the server (dropped on dispose); returns its name.</summary>
    public static async Task<string> CreateServerRoleAsync(string password)
    {
        var role = "hpb_r_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(Admin, $"CREATE ROLE {role} LOGIN PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'");
        return role;
    }

    /// <summary>Drops a role made by <see cref="CreateServerRoleAsync"/>.</summary>
    public static Task DropServerRoleAsync(string role) => ExecuteAsync(Admin, $"DROP ROLE IF EXISTS {role}");

    /// <summary>Creates a login role with a password, dropped with the database; returns its name.</summary>
    public async Task<string> CreateRoleAsync(string password)
    {
        var role = await CreateServerRoleAsync(password);
        _roles.Add(role);
        return role;
    }

    /// <summary>A connection string for this database as <paramref name="user"/> with <paramref name="password"/>.</summary>
    public string ConnectionStringFor(string user, string password) =>
        new NpgsqlConnectionStringBuilder(Admin) { Database = Name, Username = user, Password = password }.ConnectionString;

    /// <summary>Runs SQL in this database as the superuser.</summary>
    public Task ExecuteAsync(string sql) => ExecuteAsync(ConnectionString, sql);

    /// <summary>Runs a query in this database and returns the first column of every row as text.</summary>
    public async Task<List<string?>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        List<string?> rows = [];
        while (await reader.ReadAsync())
        {
            rows.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(Admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        foreach (var role in _roles)
        {
            await DropServerRoleAsync(role);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
