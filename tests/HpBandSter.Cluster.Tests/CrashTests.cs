using System.Diagnostics;
using System.Globalization;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// Durable runs against real crashes (issue "Durable runs", §5 b and c): the whole cluster is killed (SIGKILL) and
/// new silo processes finish the run by themselves, from its journal in the run store, without a resume call; and
/// the client process that started a run is killed while the cluster carries on.
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RevivalTimeout = TimeSpan.FromSeconds(60);

    // New silos join only once the killed silos' membership rows are stale: before it joins, Orleans pings every
    // Active silo whose heartbeat is younger than IAmAliveTablePublishTimeout x NumMissedTableIAmAliveLimit (30 s x 3
    // by default: measured 90 s from start to ready). See the remarks on the whole-cluster test.
    private static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private static RunSpec Spec => new()
    {
        Objective = "toy",
        Optimizer = "hyperband",
        MinBudget = 9,
        MaxBudget = 243,
        Iterations = 2,
        Seed = 42,
        SleepSeconds = 0.2,
    };

    /// <remarks>
    /// With Orleans' default heartbeat period (30 s, stale after 3 missed) the new silos wait about 90 s after the
    /// kill before they join (connectivity validation of the dead silos' Active rows); a heartbeat every 5 s in the
    /// fast failure detection settings cuts that to about 15 s. After they join, the distributed grain directory
    /// keeps the dead silos' ranges under a lease for about 20 s, so the run comes back some 20 s after ready.
    /// </remarks>
    [Fact]
    public async Task Whole_cluster_killed_and_two_new_silos_finish_the_run_without_a_resume_call()
    {
        await using var database = await TestPostgres.CreateAsync();
        var clock = Stopwatch.StartNew();
        await using var cluster = await SiloCluster.StartPostgresAsync(siloCount: 3, slots: 2, objectives: "toy", database.ConnectionString);
        output.WriteLine($"3 silos clustered via PostgreSQL (database {database.Name}) and a client up in {clock.Elapsed.TotalSeconds:0.00} s.");

        const string runId = "crash-whole-cluster";
        var started = await cluster.Client.StartRunAsync(runId, Spec);
        Assert.True(started.Accepted, $"The run was refused: {started.Error}\n{cluster.Tails}");
        var before = await cluster.WaitForStatusAsync(runId, s => s.IsEnded || s.Finished >= 10, ProgressTimeout, "at least 10 results are recorded");
        Assert.True(before.State == RunState.Running, $"The run ended before the kill: {RunStatusText.Describe(before)}");

        var old = cluster.Silos.ToList();
        foreach (var silo in old)
        {
            silo.Kill();
        }

        await Task.WhenAll(old.Select(s => s.WaitForExitAsync(TimeSpan.FromSeconds(10))));
        var toldAtKill = await ToldAsync(database, runId);
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} SIGKILL all 3 silos; status before: {RunStatusText.Describe(before)}; results in the journal: {toldAtKill}");
        Assert.True(toldAtKill >= before.Finished, $"The journal holds {toldAtKill} results, the run said {before.Finished} were recorded.");
        Assert.True(toldAtKill < before.EvaluationsPlanned, $"Nothing left to do after the kill: {toldAtKill} of {before.EvaluationsPlanned}.");

        // The old client knew only the dead silos' gateways: drop it while the new silos start. From here until the
        // run is completed nothing calls the run grain from outside: progress is read from the run store.
        var stopClient = cluster.StopClientAsync();
        var restart = Stopwatch.StartNew();
        var fresh = await cluster.StartMorePostgresSilosAsync(2, RejoinTimeout);
        var ready = restart.Elapsed;
        await stopClient;
        output.WriteLine($"2 new silos ({string.Join(", ", fresh.Select(s => $"{s.Name} port {s.SiloPort}"))}) ready {ready.TotalSeconds:0.00} s after their start.");

        var firstNew = await WaitForStoreAsync(database, runId, r => r.Told > toldAtKill, RevivalTimeout, "a result is recorded after the restart (the sweep brought the run back)", cluster);
        var firstNewTime = restart.Elapsed;
        output.WriteLine($"First new result {firstNewTime.TotalSeconds:0.00} s after the restart ({(firstNewTime - ready).TotalSeconds:0.00} s after ready): {firstNew}");

        var done = await WaitForStoreAsync(database, runId, r => r.State != "running", RunTimeout, "the stored run is no longer running", cluster);
        var doneTime = restart.Elapsed;
        output.WriteLine($"Run {done.State} in the store {doneTime.TotalSeconds:0.00} s after the restart: {done}");

        // A new client, which finds the new silos' gateways in PostgreSQL, reads the outcome.
        await cluster.ReconnectClientAsync();
        var final = await cluster.Client.GetStatusAsync(runId);
        output.WriteLine($"New client: {RunStatusText.Describe(final)}");
        await FailoverTests.AssertCompletedOnceEachAsync(cluster, runId, final);
        Assert.Equal(final.EvaluationsPlanned, (await ToldAsync(database, runId)));
        Assert.Equal(0, final.RunningBySilo.Keys.Count(k => old.Any(s => s.SiloPort == SiloKey.PortOf(k))));
        output.WriteLine($"Timings: restart -> silos ready {ready.TotalSeconds:0.00} s, -> first new result {firstNewTime.TotalSeconds:0.00} s, -> completed {doneTime.TotalSeconds:0.00} s.");
        output.WriteLine($"New silos' logs (warnings and above):\n{string.Join("\n", fresh.Select(s => s.Tail))}");
    }

    [Fact]
    public async Task Killed_cli_client_leaves_its_run_running_to_completion()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await SiloCluster.StartAsync(siloCount: 3, slots: 2, objectives: "toy");
        output.WriteLine($"Cluster of 3 silo processes up in {clock.Elapsed.TotalSeconds:0.00} s.");

        const string runId = "crash-cli";
        var spec = Spec;
        using var cli = CliProcess.Start(
            "run", "--cluster",
            "--gateway-port", string.Join(",", cluster.Silos.Select(s => s.GatewayPort.ToString(CultureInfo.InvariantCulture))),
            "--cluster-id", cluster.ClusterId,
            "--service-id", cluster.ClusterId,
            "--run-id", runId,
            "--objective", spec.Objective,
            "--optimizer", spec.Optimizer,
            "--min-budget", spec.MinBudget.ToString(CultureInfo.InvariantCulture),
            "--max-budget", spec.MaxBudget.ToString(CultureInfo.InvariantCulture),
            "--iterations", spec.Iterations.ToString(CultureInfo.InvariantCulture),
            "--seed", spec.Seed.ToString(CultureInfo.InvariantCulture),
            "--sleep", spec.SleepSeconds.ToString(CultureInfo.InvariantCulture),
            "--json");
        clock.Restart();

        // The CLI started the run (this test's client only reads its status) and results come in.
        var before = await cluster.WaitForStatusAsync(runId, s => cli.HasExited || s.IsEnded || s.Finished >= 5, ProgressTimeout, "the run started by the CLI has results");
        Assert.False(cli.HasExited, $"The CLI exited before it was killed.\n{cli.Output}\n{cluster.Tails}");
        Assert.True(before.State == RunState.Running, $"The run ended before the CLI was killed: {RunStatusText.Describe(before)}\n{cli.Output}");
        output.WriteLine($"Run has results {clock.Elapsed.TotalSeconds:0.00} s after the CLI started: {RunStatusText.Describe(before)}");

        cli.KillAndWait();
        var afterKill = Stopwatch.StartNew();
        Assert.True(cli.HasExited, $"The CLI (pid {cli.Pid}) still runs after SIGKILL.");
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} SIGKILL the CLI (pid {cli.Pid}).");

        var ended = await cluster.WaitForEndAsync(runId, RunTimeout);
        output.WriteLine($"Run ended {afterKill.Elapsed.TotalSeconds:0.00} s after the CLI was killed: {RunStatusText.Describe(ended)}");
        Assert.True(ended.Finished > before.Finished, $"Nothing was recorded after the CLI was killed: {RunStatusText.Describe(ended)}");

        // A client that never saw the run finds it completed, each evaluation recorded once.
        await cluster.ReconnectClientAsync();
        var final = await cluster.Client.GetStatusAsync(runId);
        output.WriteLine($"New client: {RunStatusText.Describe(final)}");
        await FailoverTests.AssertCompletedOnceEachAsync(cluster, runId, final);
    }

    /// <summary>How many results the run's journal in PostgreSQL holds.</summary>
    private static async Task<int> ToldAsync(TestPostgres database, string runId) => int.Parse(
        (await database.QueryAsync($"SELECT count(*) FROM hpbandster_journal WHERE run_id = '{runId}' AND kind = 'told'")).Single()!,
        CultureInfo.InvariantCulture);

    /// <summary>The stored run's state and summary count, and its journal's result count.</summary>
    private static async Task<StoredRunRow> ReadStoreAsync(TestPostgres database, string runId)
    {
        var row = (await database.QueryAsync($"SELECT state || ' ' || finished || ' ' || planned FROM hpbandster_runs WHERE id = '{runId}'")).Single()!.Split(' ');
        return new StoredRunRow(row[0], int.Parse(row[1], CultureInfo.InvariantCulture), int.Parse(row[2], CultureInfo.InvariantCulture), await ToldAsync(database, runId));
    }

    /// <summary>Polls the run store (no grain call) until <paramref name="condition"/> holds.</summary>
    private async Task<StoredRunRow> WaitForStoreAsync(TestPostgres database, string runId, Func<StoredRunRow, bool> condition, TimeSpan timeout, string what, SiloCluster cluster)
    {
        var clock = Stopwatch.StartNew();
        StoredRunRow? last = null;
        while (clock.Elapsed < timeout)
        {
            var row = await ReadStoreAsync(database, runId);
            if (row != last)
            {
                output.WriteLine($"  +{clock.Elapsed.TotalSeconds:0.000} s store: {row}");
                last = row;
            }

            if (condition(row))
            {
                return row;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting until {what}.\nLast stored row: {last}\n{cluster.Tails}");
    }

    private sealed record StoredRunRow(string State, int Finished, int Planned, int Told);
}
