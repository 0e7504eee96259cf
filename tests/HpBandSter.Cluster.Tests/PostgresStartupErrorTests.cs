using HpBandSter.Orleans.PostgreSql;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// A silo with <c>--clustering postgres</c> that cannot use its database exits with code 1 and one clear line naming
/// host, port, database and user, never the password; a bad connection string is a usage error (code 2).
/// </summary>
public sealed class PostgresStartupErrorTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Unreachable_database_exits_with_code_1_naming_host_and_port()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var closedPort = LoopbackPorts.Free(1)[0];
        var connectionString = $"Host=127.0.0.1;Port={closedPort};Database=hpbandster;Username=nobody;Password={password};Timeout=5";
        using var silo = StartSilo("pg unreachable", connectionString);

        Assert.Equal(1, await silo.WaitForExitAsync(ExitTimeout));
        var line = CouldNotStartLine(silo);
        Assert.Contains($"127.0.0.1:{closedPort}", line, StringComparison.Ordinal);
        Assert.Contains("database 'hpbandster', user 'nobody'", line, StringComparison.Ordinal);
        Assert.Contains("cannot connect", line, StringComparison.Ordinal);
        Assert.DoesNotContain(password, silo.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_exits_with_code_1_without_printing_it()
    {
        await using var database = await TestPostgres.CreateAsync();
        var role = await database.CreateRoleAsync("right-" + Guid.NewGuid().ToString("N"));
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        using var silo = StartSilo("pg wrong password", database.ConnectionStringFor(role, wrong));

        Assert.Equal(1, await silo.WaitForExitAsync(ExitTimeout));
        var line = CouldNotStartLine(silo);
        Assert.Contains("password was refused", line, StringComparison.Ordinal);
        Assert.Contains($"database '{database.Name}', user '{role}'", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, silo.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Newer_schema_version_exits_with_code_1_and_changes_nothing()
    {
        await using var database = await TestPostgres.CreateAsync();
        await PostgresClusteringSchema.EnsureAsync(database.ConnectionString);
        var newer = PostgresClusteringSchema.Version + 1;
        await database.ExecuteAsync($"UPDATE hpbandster_orleans_schema SET version = {newer}; DELETE FROM orleansquery WHERE querykey = 'GatewaysQueryKey';");
        var before = await PostgresClusterTests.SnapshotAsync(database);

        using var silo = StartSilo("pg newer schema", database.ConnectionString);
        Assert.Equal(1, await silo.WaitForExitAsync(ExitTimeout));
        var line = CouldNotStartLine(silo);
        Assert.Contains($"has version {newer}, newer than this program understands ({PostgresClusteringSchema.Version})", line, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", line, StringComparison.Ordinal);
        // Not repaired, not joined: the deleted query row is still missing and no cluster was registered.
        Assert.Equal(before, await PostgresClusterTests.SnapshotAsync(database));
        Assert.Equal(["0"], await database.QueryAsync("SELECT count(*) FROM hpbandster_orleans_membership"));

        var error = await Assert.ThrowsAsync<PostgresClusteringException>(() => PostgresClusteringSchema.EnsureAsync(database.ConnectionString));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=notaport;Password=SECRET-IN-USAGE")]
    [InlineData("Port=5432;Password=SECRET-IN-USAGE")]
    [InlineData("")]
    public async Task Invalid_connection_string_is_a_usage_error_without_the_password(string connectionString)
    {
        using var silo = SiloProcess.StartRaw("pg usage", new Dictionary<string, string> { ["HPBANDSTER_POSTGRES"] = connectionString }, "--clustering", "postgres");
        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("--postgres", silo.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-IN-USAGE", silo.AllOutput, StringComparison.Ordinal);
    }

    private static SiloProcess StartSilo(string name, string connectionString)
    {
        var ports = LoopbackPorts.Free(2);
        var clusterId = "pg-" + Guid.NewGuid().ToString("N")[..12];
        return SiloProcess.StartPostgresSilo(name, ports[0], ports[1], clusterId, 1, "toy", Path.Combine(Path.GetTempPath(), "hpbandster-cluster-tests", clusterId), connectionString, onCommandLine: true);
    }

    private static string CouldNotStartLine(SiloProcess silo) =>
        silo.StandardError.Split('\n').LastOrDefault(l => l.StartsWith("hpbandster-silo: the silo could not start:", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No 'could not start' line.\n{silo.Tail}");
}
