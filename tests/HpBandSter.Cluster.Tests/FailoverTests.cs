using System.Diagnostics;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// Three silo processes (the primary and two others, two slots each, the toy objective) run a HyperBand run from
/// a client in this process; a silo with jobs in flight is killed (SIGKILL) or stopped (SIGTERM) mid-run. The
/// victim is neither the primary (localhost clustering keeps the membership table there) nor the run's host.
/// </summary>
/// <remarks>
/// Every test that starts a cluster is in the collection <see cref="SiloProcessesCollection"/>, so xunit runs them
/// one after the other (six silos at once would crowd two cores).
/// </remarks>
[Collection(SiloProcessesCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan VictimTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RedispatchBound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    internal static RunSpec Spec => new()
    {
        Objective = "toy",
        Optimizer = "hyperband",
        MinBudget = 9,
        MaxBudget = 243,
        Iterations = 2,
        Seed = 42,
        SleepSeconds = 0.3,
    };

    [Fact]
    public async Task Killed_silo_jobs_are_redispatched_and_the_run_completes()
    {
        var startClock = Stopwatch.StartNew();
        await using var cluster = await SiloCluster.StartAsync(siloCount: 3, slots: 2, objectives: "toy");
        output.WriteLine($"Cluster of 3 silo processes up in {startClock.Elapsed.TotalSeconds:0.00} s.");
        const string runId = "failover-kill";
        var (victim, before) = await StartAndPickVictimAsync(cluster, runId, output);

        victim.Kill();
        var clock = Stopwatch.StartNew();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} SIGKILL {victim.Name} (port {victim.SiloPort}) with {RunningOn(before, victim)} running job(s); status before: {RunStatusText.Describe(before)}");

        var recovered = await cluster.WaitForStatusAsync(
            runId,
            s => s.IsEnded || (s.Redispatched > before.Redispatched && RunningOn(s, victim) == 0),
            RedispatchBound + TimeSpan.FromSeconds(10),
            $"the jobs of the killed silo {victim.Name} are dispatched again",
            output.WriteLine);
        var redispatchTime = clock.Elapsed;
        output.WriteLine($"Re-dispatch after SIGKILL took {redispatchTime.TotalSeconds:0.00} s " +
            $"(run clock: {recovered.ElapsedSeconds - before.ElapsedSeconds:0.00} s); status: {RunStatusText.Describe(recovered)}");
        Assert.True(recovered.Redispatched > before.Redispatched, $"No job was dispatched again after the kill: {RunStatusText.Describe(recovered)}\n{cluster.Tails}");
        Assert.True(redispatchTime < RedispatchBound, $"Re-dispatch took {redispatchTime.TotalSeconds:0.00} s (bound {RedispatchBound.TotalSeconds} s).");

        var final = await cluster.WaitForEndAsync(runId, RunTimeout);
        output.WriteLine($"Run ended: {RunStatusText.Describe(final)}");
        output.WriteLine($"Silo logs (warnings and above):\n{cluster.Tails}");
        await AssertCompletedOnceEachAsync(cluster, runId, final);
    }

    [Fact]
    public async Task Terminated_silo_hands_its_jobs_back_and_the_run_completes()
    {
        var startClock = Stopwatch.StartNew();
        await using var cluster = await SiloCluster.StartAsync(siloCount: 3, slots: 2, objectives: "toy");
        output.WriteLine($"Cluster of 3 silo processes up in {startClock.Elapsed.TotalSeconds:0.00} s.");
        const string runId = "failover-term";

        // Evaluations of 1.5 s: the stopping silo must still be evaluating when SIGTERM is handled, even on a
        // loaded machine (with 0.3 s its jobs could finish first, and nothing would be handed back).
        var (victim, before) = await StartAndPickVictimAsync(cluster, runId, output, Spec with { SleepSeconds = 1.5, Iterations = 1 });

        victim.Terminate();
        var clock = Stopwatch.StartNew();
        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} SIGTERM {victim.Name} (port {victim.SiloPort}) with {RunningOn(before, victim)} running job(s); status before: {RunStatusText.Describe(before)}");

        var handedBack = await cluster.WaitForStatusAsync(
            runId,
            s => s.IsEnded || (s.Redispatched > before.Redispatched && RunningOn(s, victim) == 0),
            RedispatchBound + TimeSpan.FromSeconds(10),
            $"the jobs of the stopping silo {victim.Name} are handed back",
            output.WriteLine);
        output.WriteLine($"Hand-back after SIGTERM took {clock.Elapsed.TotalSeconds:0.00} s; status: {RunStatusText.Describe(handedBack)}");

        var exitCode = await victim.WaitForExitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{victim.Name} exited with code {exitCode} {clock.Elapsed.TotalSeconds:0.00} s after SIGTERM.");
        Assert.True(exitCode == 0, $"{victim.Name} exited with code {exitCode} after SIGTERM.\n{victim.Tail}");

        var final = await cluster.WaitForEndAsync(runId, RunTimeout);
        output.WriteLine($"Run ended: {RunStatusText.Describe(final)}");
        output.WriteLine($"Silo logs (warnings and above):\n{cluster.Tails}");
        Assert.True(final.Redispatched > 0, $"No job was handed back: {RunStatusText.Describe(final)}");
        await AssertCompletedOnceEachAsync(cluster, runId, final);
    }

    internal static int RunningOn(RunStatus status, SiloProcess silo) =>
        status.RunningBySilo.Where(kv => SiloKey.PortOf(kv.Key) == silo.SiloPort).Sum(kv => kv.Value);

    /// <summary>Starts the run and waits until a silo that is neither the primary nor the run's host has jobs running.</summary>
    internal static async Task<(SiloProcess Victim, RunStatus Status)> StartAndPickVictimAsync(SiloCluster cluster, string runId, ITestOutputHelper output, RunSpec? spec = null)
    {
        var started = await cluster.Client.StartRunAsync(runId, spec ?? Spec);
        Assert.True(started.Accepted, $"The run was refused: {started.Error}\n{cluster.Tails}");
        output.WriteLine($"Run started: {RunStatusText.Describe(started.Status)}");

        SiloProcess? victim = null;
        var status = await cluster.WaitForStatusAsync(
            runId,
            s =>
            {
                var host = cluster.SiloOf(s.Host);
                victim = cluster.Silos
                    .Where(silo => silo != cluster.Primary && silo != host)
                    .FirstOrDefault(silo => RunningOn(s, silo) > 0);
                return s.State == RunState.Running && host is not null && victim is not null;
            },
            VictimTimeout,
            "a silo other than the primary and the run's host has jobs running");
        return (victim!, status);
    }

    /// <summary>Completed, every planned evaluation recorded, each (config id, budget) exactly once, none crashed.</summary>
    internal static async Task AssertCompletedOnceEachAsync(SiloCluster cluster, string runId, RunStatus final)
    {
        Assert.True(final.State == RunState.Completed, $"The run ended {final.State}: {RunStatusText.Describe(final)}\n{cluster.Tails}");
        Assert.Equal(final.EvaluationsPlanned, final.Finished);
        Assert.Equal(0, final.Crashed);

        var result = await cluster.Client.GetResultAsync(runId);
        var runs = result.GetAllRuns();
        Assert.Equal(final.EvaluationsPlanned, runs.Count);
        var duplicates = runs.GroupBy(r => (r.ConfigId, r.Budget)).Where(g => g.Count() > 1).Select(g => $"{g.Key.ConfigId}@{g.Key.Budget}").ToList();
        Assert.True(duplicates.Count == 0, $"Recorded more than once: {string.Join(", ", duplicates)}");
        var crashed = runs.Where(r => r.IsCrashed).Select(r => $"{r.ConfigId}@{r.Budget}: {r.ErrorLogs}").ToList();
        Assert.True(crashed.Count == 0, $"Crashed runs: {string.Join("\n", crashed)}");
        Assert.All(result.Configs, c => Assert.NotEmpty(result.GetRunsById(c.Id)));
    }
}
