using System.Diagnostics;
using HpBandSter.Orleans.PostgreSql;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// Silo processes with membership in PostgreSQL (<c>--clustering postgres</c>, the project's own schema) and a client
/// that finds the gateways there. Each test has a database of its own (<see cref="TestPostgres"/>).
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class PostgresClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RedispatchBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Killed_silo_is_declared_dead_in_postgres_and_the_run_completes()
    {
        await using var database = await TestPostgres.CreateAsync();
        var startClock = Stopwatch.StartNew();
        await using var cluster = await SiloCluster.StartPostgresAsync(siloCount: 3, slots: 2, objectives: "toy", database.ConnectionString);
        output.WriteLine($"3 silo processes clustered via PostgreSQL (database {database.Name}) and a client up in {startClock.Elapsed.TotalSeconds:0.00} s.");

        var members = await MembersAsync(database, cluster.ClusterId);
        Assert.True(cluster.Silos.All(s => members.GetValueOrDefault(s.SiloPort) == Active), $"Expected 3 active rows (status {Active}): {Show(members)}");
        Assert.Equal(
            [PostgresClusteringSchema.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            await database.QueryAsync("SELECT version FROM hpbandster_orleans_schema"));

        const string runId = "pg-failover-kill";
        var (victim, before) = await FailoverTests.StartAndPickVictimAsync(cluster, runId, output);
        victim.Kill();
        var clock = Stopwatch.StartNew();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} SIGKILL {victim.Name} (port {victim.SiloPort}) with {FailoverTests.RunningOn(before, victim)} running job(s)");

        var recovered = await cluster.WaitForStatusAsync(
            runId,
            s => s.IsEnded || (s.Redispatched > before.Redispatched && FailoverTests.RunningOn(s, victim) == 0),
            RedispatchBound + TimeSpan.FromSeconds(10),
            $"the jobs of the killed silo {victim.Name} are dispatched again",
            output.WriteLine);
        output.WriteLine($"Re-dispatch after SIGKILL took {clock.Elapsed.TotalSeconds:0.00} s; status: {RunStatusText.Describe(recovered)}");
        Assert.True(recovered.Redispatched > before.Redispatched, $"No job was dispatched again after the kill: {RunStatusText.Describe(recovered)}\n{cluster.Tails}");

        // The membership row of the killed silo says Dead; the survivors stay Active.
        var deadline = Stopwatch.StartNew();
        while ((members = await MembersAsync(database, cluster.ClusterId)).GetValueOrDefault(victim.SiloPort) != Dead && deadline.Elapsed < RedispatchBound)
        {
            await Task.Delay(100);
        }

        output.WriteLine($"Membership rows {clock.Elapsed.TotalSeconds:0.00} s after the kill: {Show(members)}");
        Assert.True(members.GetValueOrDefault(victim.SiloPort) == Dead, $"The killed silo's row is not Dead ({Dead}) after {RedispatchBound.TotalSeconds} s: {Show(members)}\n{cluster.Tails}");
        Assert.All(cluster.Silos.Where(s => s != victim), s => Assert.Equal(Active, members.GetValueOrDefault(s.SiloPort)));

        var final = await cluster.WaitForEndAsync(runId, RunTimeout);
        output.WriteLine($"Run ended: {RunStatusText.Describe(final)}");
        await FailoverTests.AssertCompletedOnceEachAsync(cluster, runId, final);
    }

    internal const int Active = 3;
    internal const int Dead = 6;

    /// <summary>Silo port → status of every membership row of the cluster.</summary>
    internal static async Task<Dictionary<int, int>> MembersAsync(TestPostgres database, string clusterId)
    {
        var rows = await database.QueryAsync($"SELECT port || ':' || status FROM hpbandster_orleans_membership WHERE deploymentid = '{clusterId}'");
        return rows.Select(r => r!.Split(':')).ToDictionary(p => int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The schema's version, query rows and membership version rows, as text.</summary>
    internal static async Task<string> SnapshotAsync(TestPostgres database) => string.Join(
        "\n",
        (await database.QueryAsync("SELECT version || ' ' || updated FROM hpbandster_orleans_schema"))
            .Concat(await database.QueryAsync("SELECT querykey || '=' || md5(querytext) FROM orleansquery ORDER BY querykey"))
            .Concat(await database.QueryAsync("SELECT deploymentid || ' ' || version FROM hpbandster_orleans_membership_version ORDER BY deploymentid")));

    private static string Show(Dictionary<int, int> members) => string.Join(", ", members.Select(kv => $"{kv.Key}={kv.Value}"));
}
