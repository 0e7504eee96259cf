using System.Diagnostics;
using System.Text.Json.Nodes;
using HpBandSter.Orleans.Runs;
using static HpBandSter.Benchmarks.BenchText;

namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>cluster-dispatch [--silos 3] [--slots 4] [--iterations 1500] [--runs 3] [--postgres CONNECTION] [--quick] [--json]</c> (also
/// <c>dispatch --silos N</c>): evaluations per second and time from <c>StartRunAsync</c> to the first result with
/// N <c>hpbandster-silo</c> processes on this machine (localhost clustering, runs journaled in SQLite in the shared
/// data directory), the client in this process reaching them through their gateways. The silo program offers only
/// the built-in objectives: 'toy' (a few µs of arithmetic) stands in for a zero-cost one, with budgets 9..243,
/// eta 3 (the same brackets as the embedded <c>dispatch</c> suite's 1..27). One warm-up run, then the measured runs.
/// </summary>
internal static class ClusterDispatchBenchmark
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(5);

    internal sealed record Measurement(int Evaluations, double Seconds, double SteadyPerSecond, double StartCallMs, double FirstResultMs, double FirstResultGrainMs, double CpuMicroseconds, string Host, IReadOnlyList<(string Process, double CpuMicroseconds)> CpuByProcess)
    {
        public double PerSecond => Evaluations / Seconds;
    }

    internal sealed record Outcome(int Silos, int SlotsPerSilo, int Iterations, IReadOnlyList<Measurement> Runs, double ClusterStartSeconds, bool Postgres = false)
    {
        public double MedianPerSecond => Median(Runs.Select(r => r.PerSecond));

        public double MedianFirstResultMs => Median(Runs.Select(r => r.FirstResultMs));
    }

    public static async Task<int> RunAsync(bool quick, IReadOnlyList<string> args)
    {
        var outcome = await MeasureAsync(
            IntOption(args, "--silos", 3),
            IntOption(args, "--slots", 4),
            IntOption(args, "--iterations", quick ? 100 : 1500),
            IntOption(args, "--runs", quick ? 1 : 3),
            Option(args, "--postgres"));
        if (args.Contains("--json"))
        {
            Console.WriteLine(ToJson(outcome).ToJsonString());
        }
        else
        {
            Console.WriteLine(Text(outcome));
        }

        return 0;
    }

    public static async Task<Outcome> MeasureAsync(int silos, int slots, int iterations, int runs, string? postgres = null)
    {
        Progress($"cluster-dispatch: starting {silos} silo processes with {slots} slots each ({(postgres is null ? "localhost" : "PostgreSQL")} clustering)...");
        var clock = Stopwatch.StartNew();
        await using var cluster = await ProcessCluster.StartAsync(silos, slots, "toy", postgres);
        var startSeconds = clock.Elapsed.TotalSeconds;
        // One warm-up run per silo: run grains are placed by activation count, so each measured run may land on a
        // silo that has not hosted a run yet, whose first run pays for JIT and for opening the run store (200-300 ms
        // more to the first result, and a slower start).
        Progress(F($"cluster up in {startSeconds:0.0} s; {silos} warm-up runs of {iterations} iterations..."));
        var warmHosts = new List<string>();
        for (var i = 0; i < silos; i++)
        {
            warmHosts.Add((await MeasureRunAsync(cluster, iterations, $"warm-up-{i}")).Host);
        }

        Progress($"warm-up runs hosted on: {string.Join(", ", warmHosts)}");
        var measurements = new List<Measurement>();
        for (var i = 0; i < runs; i++)
        {
            var m = await MeasureRunAsync(cluster, iterations, $"measured-{i}");
            measurements.Add(m);
            Progress(F($"  run {i + 1}: {m.Evaluations} evaluations in {m.Seconds:0.000} s = {m.PerSecond:0} /s, first result after {m.FirstResultMs:0.00} ms"));
        }

        return new Outcome(silos, slots, iterations, measurements, startSeconds, postgres is not null);
    }

    public static RunSpec Spec(int iterations, double sleepSeconds = 0, int seed = 1) => new()
    {
        Objective = "toy",
        Optimizer = "hyperband",
        MinBudget = 9,
        MaxBudget = 243,
        Eta = 3,
        Iterations = iterations,
        Seed = seed,
        SleepSeconds = sleepSeconds,
    };

    private static async Task<Measurement> MeasureRunAsync(ProcessCluster cluster, int iterations, string name)
    {
        var runId = $"cluster-dispatch-{name}-{Guid.NewGuid():N}";
        var grain = cluster.Grains.GetGrain<IRunGrain>(runId);
        var cpuBefore = CpuByProcess(cluster);
        var clock = Stopwatch.StartNew();
        var start = await cluster.Client.StartRunAsync(runId, Spec(iterations));
        var startCall = clock.Elapsed;
        if (!start.Accepted)
        {
            throw new InvalidOperationException($"The run '{runId}' was refused: {start.Error}");
        }

        var first = await grain.WaitForChangeAsync(0, TimeSpan.FromSeconds(20));
        var firstResult = clock.Elapsed;
        if (first.Finished == 0)
        {
            throw new InvalidOperationException($"The run '{runId}' recorded no result within 20 s: {RunStatusText.Describe(first)}\n{cluster.Tails}");
        }

        var status = first;
        while (!status.IsEnded)
        {
            if (clock.Elapsed > RunDeadline)
            {
                throw new TimeoutException($"The run '{runId}' did not end within {RunDeadline.TotalMinutes} min: {RunStatusText.Describe(status)}");
            }

            await Task.Delay(10);
            status = await grain.GetStatusAsync();
        }

        var cpuAfter = CpuByProcess(cluster);
        var cpuByProcess = cpuAfter.Select(a => (a.Process, (a.Seconds - cpuBefore.Single(b => b.Process == a.Process).Seconds) * 1e6 / status.Finished)).ToList();
        var cpu = cpuByProcess.Sum(p => p.Item2);
        if (status.State != RunState.Completed || status.Finished != status.EvaluationsPlanned || status.Crashed != 0)
        {
            throw new InvalidOperationException($"The run '{runId}' ended {RunStatusText.Describe(status)}");
        }

        var result = await cluster.Client.GetResultAsync(runId);
        var finishTimes = result.GetAllRuns().Select(r => r.TimeStamps.Finished).ToList();
        var seconds = status.ElapsedSeconds;
        var steady = seconds >= 2 ? finishTimes.Count(t => t > 1.0) / (seconds - 1.0) : double.NaN;
        return new Measurement(status.Finished, seconds, steady, startCall.TotalMilliseconds, firstResult.TotalMilliseconds, finishTimes.Min() * 1000, cpu, cluster.SiloOf(status.Host)?.Name ?? "?", cpuByProcess);
    }

    /// <summary>CPU seconds of every silo process and of this one (the client).</summary>
    private static List<(string Process, double Seconds)> CpuByProcess(ProcessCluster cluster) =>
        [.. cluster.Alive.Select(s => (s.Name, CpuSeconds(s.Pid))), ("client", CpuSeconds(Environment.ProcessId))];

    public static string Text(Outcome o)
    {
        var lines = new List<string>
        {
            o.Postgres
                ? F($"Dispatch throughput, {o.Silos} silo processes × {o.SlotsPerSilo} slots on this machine (PostgreSQL clustering, client through gateways, every result journaled in PostgreSQL):")
                : F($"Dispatch throughput, {o.Silos} silo processes × {o.SlotsPerSilo} slots on this machine (localhost clustering, client through gateways, every result journaled in SQLite):"),
            F($"HyperBand on 'toy' (µs per evaluation), budgets 9..243, eta 3, {o.Iterations} iterations per run; cluster start-up {o.ClusterStartSeconds:0.0} s."),
            $"Machine: {Machine()}; load average at the end: {LoadAverage()}.",
            "",
            "| Run | Run grain on | Evaluations | Time (s) | Evaluations/s | Steady state /s (after 1 s) | CPU µs per evaluation (all processes) | by process | StartRunAsync (ms) | First result, client (ms) | First result, grain clock (ms) |",
            "|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
        };
        var run = 0;
        foreach (var m in o.Runs)
        {
            run++;
            lines.Add(F($"| {run} | {m.Host} | {m.Evaluations:N0} | {m.Seconds:0.000} | {m.PerSecond:N0} | {(double.IsNaN(m.SteadyPerSecond) ? "–" : m.SteadyPerSecond.ToString("N0", System.Globalization.CultureInfo.InvariantCulture))} | {m.CpuMicroseconds:0} | {string.Join(", ", m.CpuByProcess.Select(p => F($"{p.Process} {p.CpuMicroseconds:0}")))} | {m.StartCallMs:0.00} | {m.FirstResultMs:0.00} | {m.FirstResultGrainMs:0.00} |"));
        }

        lines.Add("");
        lines.Add(F($"Median: {o.MedianPerSecond:N0} evaluations/s (target >= 10,000: {(o.MedianPerSecond >= 10_000 ? "met" : "NOT met")}); first result {o.MedianFirstResultMs:0.00} ms after StartRunAsync (target <= 5 ms: {(o.MedianFirstResultMs <= 5 ? "met" : "NOT met")})."));
        return string.Join(Environment.NewLine, lines);
    }

    public static JsonObject ToJson(Outcome o)
    {
        var json = MachineJson();
        json["clustering"] = o.Postgres ? "postgres" : "localhost";
        json["silos"] = o.Silos;
        json["slotsPerSilo"] = o.SlotsPerSilo;
        json["iterations"] = o.Iterations;
        json["objective"] = "toy";
        json["clusterStartSeconds"] = o.ClusterStartSeconds;
        json["medianEvaluationsPerSecond"] = o.MedianPerSecond;
        json["medianFirstResultMs"] = o.MedianFirstResultMs;
        json["runs"] = new JsonArray([.. o.Runs.Select(m => (JsonNode?)new JsonObject
        {
            ["evaluations"] = m.Evaluations,
            ["seconds"] = m.Seconds,
            ["evaluationsPerSecond"] = m.PerSecond,
            ["steadyPerSecond"] = Value(m.SteadyPerSecond),
            ["cpuMicrosecondsPerEvaluation"] = Value(m.CpuMicroseconds),
            ["runGrainHost"] = m.Host,
            ["cpuMicrosecondsPerEvaluationByProcess"] = new JsonObject([.. m.CpuByProcess.Select(p => KeyValuePair.Create(p.Process, Value(p.CpuMicroseconds)))]),
            ["startCallMs"] = m.StartCallMs,
            ["firstResultMs"] = m.FirstResultMs,
            ["firstResultGrainMs"] = m.FirstResultGrainMs,
        })]);
        return json;
    }
}
