using System.Diagnostics;
using System.Text.Json.Nodes;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using static HpBandSter.Benchmarks.BenchText;

namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>faults [--trials 5] [--postgres CONNECTION] [--json]</c>: fault timings of issue 6 §3 with real
/// <c>hpbandster-silo</c> processes on this machine.
/// (a) A silo that runs jobs is killed (SIGKILL) in a 3-silo localhost cluster (2 slots each, 'toy' with 0.3 s per
/// evaluation); measured from the kill until membership has declared it dead and the run has queued its jobs again
/// first in line (<see cref="RunStatus.Redispatched"/> rose by the victim's running jobs and
/// <see cref="RunStatus.RunningBySilo"/> no longer lists it), and until they run on the survivors (as many new
/// results recorded as the victim had jobs: each freed slot takes the first queued job). Each trial is a new run on
/// the same cluster, which gets a new silo in place of the one killed before; the victim is neither the primary
/// (it keeps a localhost cluster's membership) nor the run's host. Median of the trials.
/// (b) The whole cluster is killed (SIGKILL) mid-run and fresh silos start on new ports over the same data
/// directory (localhost) or database (PostgreSQL, with <c>--postgres</c> or HPBANDSTER_POSTGRES); nothing calls the
/// run: the silos' reviver sweep brings it back. Measured from the restart to the silos' ready lines and to the first
/// new result in the run store (the objective costs µs, so that is the first new dispatch plus one commit).
/// (c) Persistence cost per result at 1k vs 100k results in one run is the <c>journal</c> command.
/// </summary>
internal static class FaultsBenchmark
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    internal sealed record KillTrial(int Trial, int VictimJobs, double RequeuedSeconds, double RunningElsewhereSeconds, int RedispatchedDelta);

    internal sealed record Restart(string Clustering, int SilosBefore, int SilosAfter, int ResultsAtKill, int Planned, double FirstReadySeconds, double ReadySeconds, double FirstNewResultSeconds, double CompletedSeconds);

    internal sealed record Outcome(IReadOnlyList<KillTrial> Kills, IReadOnlyList<Restart> Restarts)
    {
        public double MedianRequeued => Median(Kills.Select(k => k.RequeuedSeconds));

        public double MedianRunningElsewhere => Median(Kills.Select(k => k.RunningElsewhereSeconds));
    }

    public static async Task<int> RunAsync(bool quick, IReadOnlyList<string> args)
    {
        var outcome = await MeasureAsync(IntOption(args, "--trials", quick ? 3 : 5), Postgres(args));
        Console.WriteLine(args.Contains("--json") ? ToJson(outcome).ToJsonString() : Text(outcome));
        return 0;
    }

    public static async Task<Outcome> MeasureAsync(int trials, string? postgres)
    {
        var kills = new List<KillTrial>();
        Progress("(a) starting 3 silos...");
        await using (var cluster = await ProcessCluster.StartAsync(3, 2, "toy"))
        {
            for (var trial = 1; trial <= trials; trial++)
            {
                if (trial > 1)
                {
                    Progress("  starting a silo in place of the killed one...");
                    await cluster.AddLocalhostSiloAsync();
                }

                var k = await KillOneAsync(cluster, trial);
                kills.Add(k);
                Progress(F($"  (a) trial {trial}: {k.VictimJobs} job(s) on the killed silo; queued again after {k.RequeuedSeconds:0.00} s, running on the survivors after {k.RunningElsewhereSeconds:0.00} s"));
            }
        }

        var restarts = new List<Restart> { await RestartWholeClusterAsync(null) };
        if (postgres is not null)
        {
            restarts.Add(await RestartWholeClusterAsync(postgres));
        }
        else
        {
            Progress("  (b) PostgreSQL clustering skipped: give --postgres CONNECTION or HPBANDSTER_POSTGRES.");
        }

        return new Outcome(kills, restarts);
    }

    private static async Task<KillTrial> KillOneAsync(ProcessCluster cluster, int trial)
    {
        var runId = $"faults-kill-{trial}-{Guid.NewGuid():N}";
        var started = await cluster.Client.StartRunAsync(runId, ClusterDispatchBenchmark.Spec(iterations: 4, sleepSeconds: 0.3, seed: trial));
        if (!started.Accepted)
        {
            throw new InvalidOperationException($"The run was refused: {started.Error}");
        }

        SiloProcessHandle? victim = null;
        var before = await cluster.WaitForStatusAsync(
            runId,
            s =>
            {
                var host = cluster.SiloOf(s.Host);
                victim = cluster.Alive.Skip(1).Where(silo => silo != host).FirstOrDefault(silo => ProcessCluster.RunningOn(s, silo) > 0);
                return s.State == RunState.Running && host is not null && victim is not null;
            },
            StepTimeout,
            "a silo other than the primary and the run's host runs jobs");
        var victimJobs = ProcessCluster.RunningOn(before, victim!);
        victim!.KillAfterPeak();
        var clock = Stopwatch.StartNew();
        var requeued = await cluster.WaitForStatusAsync(
            runId,
            s => s.IsEnded || (s.Redispatched >= before.Redispatched + victimJobs && ProcessCluster.RunningOn(s, victim) == 0),
            StepTimeout,
            $"the jobs of the killed {victim.Name} are queued again");
        var requeuedSeconds = clock.Elapsed.TotalSeconds;
        // The re-queued jobs are first in line, and a worker's call that delivers a result takes the next jobs: once the
        // survivors have recorded as many new results as the victim had jobs, its jobs run on them.
        var running = await cluster.WaitForStatusAsync(
            runId,
            s => s.IsEnded || s.Finished >= requeued.Finished + victimJobs,
            StepTimeout,
            "the survivors run the re-queued jobs");
        var runningSeconds = clock.Elapsed.TotalSeconds;
        if (requeued.IsEnded || running.IsEnded)
        {
            throw new InvalidOperationException($"The run ended before its lost jobs were dispatched again: {RunStatusText.Describe(running)}");
        }

        await cluster.Client.CancelAsync(runId);
        return new KillTrial(trial, victimJobs, requeuedSeconds, runningSeconds, requeued.Redispatched - before.Redispatched);
    }

    private static async Task<Restart> RestartWholeClusterAsync(string? postgres)
    {
        var clustering = postgres is null ? "localhost" : "PostgreSQL";
        Progress($"(b) {clustering}: starting 3 silos...");
        await using var cluster = await ProcessCluster.StartAsync(3, 2, "toy", postgres);
        var runId = $"faults-restart-{Guid.NewGuid():N}";

        // µs evaluations, many of them: the first new result comes right after the first new dispatch.
        var started = await cluster.Client.StartRunAsync(runId, ClusterDispatchBenchmark.Spec(iterations: 600));
        if (!started.Accepted)
        {
            throw new InvalidOperationException($"The run was refused: {started.Error}");
        }

        var before = await cluster.WaitForStatusAsync(runId, s => s.IsEnded || s.Finished >= 1000, StepTimeout, "1,000 results are recorded");
        if (before.IsEnded)
        {
            throw new InvalidOperationException($"The run ended before the kill: {RunStatusText.Describe(before)}");
        }

        cluster.KillAll();
        await cluster.StopClientAsync();
        var store = await cluster.OpenStoreAsync();
        await using var storeLifetime = store as IAsyncDisposable;
        var atKill = await SummaryAsync(store, runId);
        Progress($"  SIGKILL all 3 silos with {atKill.Finished} of {atKill.Planned} results in the store; starting 3 new silos on new ports...");

        // The store is watched from before the restart: the first silo (a localhost cluster's new primary) may bring
        // the run back before the others are ready.
        var restartAt = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var firstNewTask = WaitForStoreAsync(store, runId, s => s.Finished > atKill.Finished, clock);
        await cluster.StartSilosAsync(3);
        var fresh = cluster.Alive.ToList();
        var firstReady = fresh.Min(s => s.ReadyAt!.Value - restartAt).TotalSeconds;
        var allReady = fresh.Max(s => s.ReadyAt!.Value - restartAt).TotalSeconds;
        Progress(F($"  new silos ready after {firstReady:0.00} s (first) and {allReady:0.00} s (all); waiting for a new result in the store (no client call)..."));
        var firstNew = await firstNewTask;
        var firstNewSeconds = (firstNew.SeenAt - restartAt).TotalSeconds;
        Progress(F($"  first new result after {firstNewSeconds:0.00} s ({firstNew.Summary.Finished} results)"));
        var done = await WaitForStoreAsync(store, runId, s => s.State != "running", clock);
        var completed = (done.SeenAt - restartAt).TotalSeconds;
        var final = done.Summary;
        if (final.State != "completed" || final.Finished != final.Planned)
        {
            throw new InvalidOperationException($"The revived run ended {final.State} with {final.Finished} of {final.Planned} results.\n{cluster.Tails}");
        }

        return new Restart(clustering, 3, 3, atKill.Finished, atKill.Planned, firstReady, allReady, firstNewSeconds, completed);
    }

    private static async Task<RunSummary> SummaryAsync(IRunStore store, string runId) =>
        (await store.ListRunsAsync()).Single(r => r.RunId == runId);

    private static async Task<(RunSummary Summary, DateTime SeenAt)> WaitForStoreAsync(IRunStore store, string runId, Func<RunSummary, bool> condition, Stopwatch clock)
    {
        var deadline = clock.Elapsed + TimeSpan.FromSeconds(180);
        while (clock.Elapsed < deadline)
        {
            var summary = await SummaryAsync(store, runId);
            if (condition(summary))
            {
                return (summary, DateTime.UtcNow);
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The stored run '{runId}' did not change as expected within 180 s: {await SummaryAsync(store, runId)}");
    }

    public static string Text(Outcome o)
    {
        var lines = new List<string>
        {
            $"Fault timings with hpbandster-silo processes on this machine. Machine: {Machine()}; load average at the end: {LoadAverage()}.",
            "",
            F($"(a) Silo SIGKILL → its jobs running elsewhere: 3 silos × 2 slots (localhost clustering), HyperBand on 'toy' with 0.3 s per evaluation, {o.Kills.Count} trials (a new run each; a new silo replaces the killed one between trials):"),
            "",
            "| Trial | Jobs on the killed silo | Declared dead, jobs queued again (s) | Running on the survivors (s) |",
            "|---:|---:|---:|---:|",
        };
        lines.AddRange(o.Kills.Select(k => F($"| {k.Trial} | {k.VictimJobs} | {k.RequeuedSeconds:0.00} | {k.RunningElsewhereSeconds:0.00} |")));
        lines.Add(F($"| median | | {o.MedianRequeued:0.00} | {o.MedianRunningElsewhere:0.00} |"));
        lines.Add("");
        lines.Add("(b) Whole cluster SIGKILL → 3 new silos on new ports (same data directory / database) → first new result, with no client call (the reviver sweep):");
        lines.Add("");
        lines.Add("| Clustering | Results at the kill (of planned) | Restart → first silo ready (s) | → all 3 ready (s) | → first new result (s) | → run completed (s) |");
        lines.Add("|---|---:|---:|---:|---:|---:|");
        lines.AddRange(o.Restarts.Select(r => F($"| {r.Clustering} | {r.ResultsAtKill:N0} of {r.Planned:N0} | {r.FirstReadySeconds:0.00} | {r.ReadySeconds:0.00} | {r.FirstNewResultSeconds:0.00} | {r.CompletedSeconds:0.00} |")));
        lines.Add("");
        lines.Add("(c) Persistence cost per result at 1k vs 100k results in one run: `dotnet run -c Release --project tests/HpBandSter.Benchmarks -- journal`.");
        return string.Join(Environment.NewLine, lines);
    }

    public static JsonObject ToJson(Outcome o)
    {
        var json = MachineJson();
        json["siloKill"] = new JsonObject
        {
            ["silos"] = 3,
            ["slotsPerSilo"] = 2,
            ["evaluationSeconds"] = 0.3,
            ["medianRequeuedSeconds"] = o.MedianRequeued,
            ["medianRunningElsewhereSeconds"] = o.MedianRunningElsewhere,
            ["trials"] = new JsonArray([.. o.Kills.Select(k => (JsonNode?)new JsonObject
            {
                ["trial"] = k.Trial,
                ["victimJobs"] = k.VictimJobs,
                ["redispatched"] = k.RedispatchedDelta,
                ["requeuedSeconds"] = k.RequeuedSeconds,
                ["runningElsewhereSeconds"] = k.RunningElsewhereSeconds,
            })]),
        };
        json["wholeClusterRestart"] = new JsonArray([.. o.Restarts.Select(r => (JsonNode?)new JsonObject
        {
            ["clustering"] = r.Clustering,
            ["silosBefore"] = r.SilosBefore,
            ["silosAfter"] = r.SilosAfter,
            ["resultsAtKill"] = r.ResultsAtKill,
            ["planned"] = r.Planned,
            ["firstReadySeconds"] = r.FirstReadySeconds,
            ["allReadySeconds"] = r.ReadySeconds,
            ["firstNewResultSeconds"] = r.FirstNewResultSeconds,
            ["completedSeconds"] = r.CompletedSeconds,
        })]);
        json["persistencePerResult"] = "see the 'journal' command";
        return json;
    }
}
