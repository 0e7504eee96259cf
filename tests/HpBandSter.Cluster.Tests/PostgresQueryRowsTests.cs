using HpBandSter.Orleans.PostgreSql;
using Npgsql;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// The query rows as Orleans' ADO.NET clustering provider runs them (read from <c>orleansquery</c>, one text command
/// each, parameters without prefix: text, integer, UTC timestamptz, NULL suspect times), including those the silos
/// in the other tests rarely or never reach: ReadRow, the optimistic-concurrency refusals and the clean-up keys.
/// </summary>
public sealed class PostgresQueryRowsTests
{
    private const string Cluster = "rows";

    [Fact]
    public async Task Every_query_row_keeps_the_providers_contract()
    {
        await using var database = await TestPostgres.CreateAsync();
        await PostgresClusteringSchema.EnsureAsync(database.ConnectionString);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                queries.Add(reader.GetString(0), reader.GetString(1));
            }
        }

        Assert.Equal(10, queries.Count);

        Assert.True(await BoolAsync("InsertMembershipVersionKey", new() { ["DeploymentId"] = Cluster }));
        Assert.False(await BoolAsync("InsertMembershipVersionKey", new() { ["DeploymentId"] = Cluster }));
        var empty = await RowsAsync("MembershipReadAllKey", new() { ["DeploymentId"] = Cluster });
        Assert.Single(empty);
        Assert.Null(empty[0]["starttime"]);
        Assert.Equal(0, empty[0]["version"]);

        var start = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        var silo = new Dictionary<string, object?>
        {
            ["DeploymentId"] = Cluster, ["Address"] = "127.0.0.1", ["Port"] = 11111, ["Generation"] = 42,
        };
        Dictionary<string, object?> Member(int version, int status, object? suspect = null) => new(silo)
        {
            ["IAmAliveTime"] = start, ["SiloName"] = "silo", ["HostName"] = "host", ["StartTime"] = start, ["Status"] = status,
            ["ProxyPort"] = 30000, ["Version"] = version, ["SuspectTimes"] = suspect ?? DBNull.Value,
        };

        Assert.True(await BoolAsync("InsertMembershipKey", Member(0, 3)));
        Assert.False(await BoolAsync("InsertMembershipKey", Member(0, 3)));   // stale version
        Assert.False(await BoolAsync("InsertMembershipKey", Member(1, 3)));   // the row exists: refused, nothing changed
        var all = await RowsAsync("MembershipReadAllKey", new() { ["DeploymentId"] = Cluster });
        Assert.Equal(1, Assert.Single(all)["version"]);
        Assert.Equal(start, all[0]["starttime"]);

        var unknown = await RowsAsync("MembershipReadRowKey", new(silo) { ["Port"] = 1 });
        Assert.Null(Assert.Single(unknown)["starttime"]);
        Assert.Equal(42, Assert.Single(await RowsAsync("MembershipReadRowKey", silo))["generation"]);

        Assert.Single(await RowsAsync("GatewaysQueryKey", new() { ["DeploymentId"] = Cluster, ["Status"] = 3 }));
        Assert.False(await BoolAsync("UpdateMembershipKey", Member(0, 6)));   // stale version
        Assert.False(await BoolAsync("UpdateMembershipKey", new(Member(1, 6)) { ["Port"] = 1 }));   // no such row
        Assert.True(await BoolAsync("UpdateMembershipKey", Member(1, 6, "127.0.0.1:11112@1,2026-01-02 03:04:05.678 GMT")));
        await RowsAsync("UpdateIAmAlivetimeKey", new(silo) { ["IAmAliveTime"] = start.AddSeconds(1) });
        var dead = Assert.Single(await RowsAsync("MembershipReadRowKey", silo));
        Assert.Equal(2, dead["version"]);   // the heartbeat did not move the version
        Assert.Equal(6, dead["status"]);
        Assert.Empty(await RowsAsync("GatewaysQueryKey", new() { ["DeploymentId"] = Cluster, ["Status"] = 3 }));

        // Per-row clean-up is compare-and-delete: a changed value keeps the row; the values as read delete it.
        var cleanup = new Dictionary<string, object?>(silo)
        {
            ["SuspectTimes"] = DBNull.Value, ["StartTime"] = dead["starttime"], ["IAmAliveTime"] = dead["iamalivetime"],
        };
        await RowsAsync("CleanupDefunctSiloEntryKey", cleanup);
        Assert.NotNull(Assert.Single(await RowsAsync("MembershipReadAllKey", new() { ["DeploymentId"] = Cluster }))["starttime"]);
        await RowsAsync("CleanupDefunctSiloEntryKey", new(cleanup) { ["SuspectTimes"] = dead["suspecttimes"] });
        Assert.Null(Assert.Single(await RowsAsync("MembershipReadAllKey", new() { ["DeploymentId"] = Cluster }))["starttime"]);

        Assert.True(await BoolAsync("InsertMembershipKey", Member(2, 6)));
        await RowsAsync("CleanupDefunctSiloEntriesKey", new() { ["DeploymentId"] = Cluster, ["IAmAliveTime"] = start });   // not older than the cut-off
        Assert.NotNull(Assert.Single(await RowsAsync("MembershipReadAllKey", new() { ["DeploymentId"] = Cluster }))["starttime"]);
        await RowsAsync("CleanupDefunctSiloEntriesKey", new() { ["DeploymentId"] = Cluster, ["IAmAliveTime"] = start.AddDays(1) });
        Assert.Null(Assert.Single(await RowsAsync("MembershipReadAllKey", new() { ["DeploymentId"] = Cluster }))["starttime"]);

        await RowsAsync("DeleteMembershipTableEntriesKey", new() { ["DeploymentId"] = Cluster });
        Assert.Empty(await RowsAsync("MembershipReadAllKey", new() { ["DeploymentId"] = Cluster }));

        async Task<List<Dictionary<string, object?>>> RowsAsync(string key, Dictionary<string, object?> parameters)
        {
            await using var command = new NpgsqlCommand(queries[key], connection);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            List<Dictionary<string, object?>> rows = [];
            await using var reader = await command.ExecuteReaderAsync();
            do
            {
                while (await reader.ReadAsync())
                {
                    rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
                }
            }
            while (await reader.NextResultAsync());
            return rows;
        }

        async Task<bool> BoolAsync(string key, Dictionary<string, object?> parameters)
        {
            var row = Assert.Single(await RowsAsync(key, parameters));
            return Assert.IsType<bool>(Assert.Single(row.Values));
        }
    }
}
