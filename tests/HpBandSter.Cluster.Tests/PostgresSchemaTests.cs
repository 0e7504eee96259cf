using HpBandSter.Orleans.PostgreSql;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// Creating the schema concurrently (silos starting together, or many callers in one process) is safe, re-running
/// it changes nothing, and a silo given a password never prints it.
/// </summary>
/// <remarks>Not in the silo-process collection: two single-slot silos next to a cluster test are light enough.</remarks>
public sealed class PostgresSchemaTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_silos_create_the_schema_together_and_never_print_the_password()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var role = await TestPostgres.CreateServerRoleAsync(password);
        try
        {
            // The role owns the database, so it may create the schema (PostgreSQL 15 lets only the owner create in public).
            await using var database = await TestPostgres.CreateAsync(owner: role);
            var connectionString = database.ConnectionStringFor(role, password);
            var clusterId = "pg-" + Guid.NewGuid().ToString("N")[..12];
            var dataDirectory = Path.Combine(Path.GetTempPath(), "hpbandster-cluster-tests", clusterId);
            var ports = LoopbackPorts.Free(4);
            using var first = SiloProcess.StartPostgresSilo("pg-a", ports[0], ports[1], clusterId, 1, "toy", dataDirectory, connectionString, onCommandLine: true);
            using var second = SiloProcess.StartPostgresSilo("pg-b", ports[2], ports[3], clusterId, 1, "toy", dataDirectory, connectionString);
            var ready = await Task.WhenAll(first.WaitReadyAsync(ReadyTimeout), second.WaitReadyAsync(ReadyTimeout));
            output.WriteLine(string.Join("\n", ready));

            Assert.All(ready, line => Assert.Contains($"clustering=postgres(PostgreSQL at 127.0.0.1:{database.Server.Port}, database '{database.Name}', user '{role}')", line, StringComparison.Ordinal));
            Assert.Equal(["1"], await database.QueryAsync("SELECT count(*) FROM hpbandster_orleans_schema"));
            Assert.Equal(["10"], await database.QueryAsync("SELECT count(*) FROM orleansquery"));
            var members = await PostgresClusterTests.MembersAsync(database, clusterId);
            Assert.True(members.Count == 2 && members.Values.All(s => s == PostgresClusterTests.Active), $"Expected 2 active rows: {string.Join(", ", members)}");

            // Running the schema code again (as a third silo would) changes nothing.
            var before = await PostgresClusterTests.SnapshotAsync(database);
            await PostgresClusteringSchema.EnsureAsync(connectionString);
            Assert.Equal(before, await PostgresClusterTests.SnapshotAsync(database));

            first.Terminate();
            second.Terminate();
            await Task.WhenAll(first.WaitForExitAsync(ReadyTimeout), second.WaitForExitAsync(ReadyTimeout));
            Assert.DoesNotContain(password, first.AllOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(password, second.AllOutput, StringComparison.Ordinal);
        }
        finally
        {
            await TestPostgres.DropServerRoleAsync(role);
        }
    }

    [Fact]
    public async Task Concurrent_schema_creation_in_process_is_safe()
    {
        await using var database = await TestPostgres.CreateAsync();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresClusteringSchema.EnsureAsync(database.ConnectionString))));
        Assert.Equal(["1"], await database.QueryAsync("SELECT version FROM hpbandster_orleans_schema"));
        Assert.Equal(["10"], await database.QueryAsync("SELECT count(*) FROM orleansquery"));
    }
}
