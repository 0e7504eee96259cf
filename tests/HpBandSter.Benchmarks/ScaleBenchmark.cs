using System.Diagnostics;
using System.Text.Json.Nodes;
using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Runs;
using static HpBandSter.Benchmarks.BenchText;

namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>scale [--evaluations 100000] [--cluster] [--silos 3] [--slots 4] [--runs 8] [--fair-seconds 20] [--fair-sleep 0.005] [--quick] [--json]</c>:
/// issue 6 §4.
/// (1) One HyperBand run (budgets 1..27 or 9..243, eta 3) of at least 100,000 evaluations completes: by default on the
/// embedded default (a silo in this process, the durable SQLite store, a zero-cost objective), with
/// <c>--cluster</c> on the silo processes of (2) ('toy', µs per evaluation). Peak memory (VmHWM) of each silo
/// process and of this process (before and after it fetched all results); the cost per
/// result over the last 10,000 results against the first 10,000 (and the second 10,000), from the results' finish
/// times: it must not grow with the run's size (ratio ≤ 1.5).
/// (2) On a cluster of <c>hpbandster-silo</c> processes on this machine (localhost clustering, runs in SQLite in the
/// shared data directory, the client in this process), eight runs at once ('toy' with a few ms per evaluation, so that a slot's share is not decided by call
/// latency) share the slots fairly: over the window in which all of them run (from the last start to the cancel),
/// each run's evaluations per second, from its results' finish times, is within 25 % of an equal share.
/// </summary>
internal static class ScaleBenchmark
{
    private const int Window = 10_000;

    internal sealed record BigRun(string Where, int Evaluations, int Iterations, double Seconds, int WindowSize, double FirstWindowUs, double SecondWindowUs, double LastWindowUs, IReadOnlyList<long> SiloPeakKb, long ClientPeakBeforeFetchKb, long ClientPeakAfterFetchKb, double FetchSeconds)
    {
        public double Ratio => LastWindowUs / FirstWindowUs;

        public double RatioToSecond => LastWindowUs / SecondWindowUs;
    }

    internal sealed record Fairness(int Runs, int TotalSlots, double SleepSeconds, double WindowSeconds, IReadOnlyList<int> EvaluationsInWindow, IReadOnlyList<string> Hosts)
    {
        public double Share => EvaluationsInWindow.Average() / WindowSeconds;

        public IEnumerable<double> Rates => EvaluationsInWindow.Select(n => n / WindowSeconds);

        public double WorstDeviation => Rates.Max(r => Math.Abs((r / Share) - 1));
    }

    internal sealed record Outcome(int Silos, int SlotsPerSilo, BigRun? Big, Fairness Fair);

    public static async Task<int> RunAsync(bool quick, IReadOnlyList<string> args)
    {
        var outcome = await MeasureAsync(
            IntOption(args, "--silos", 3),
            IntOption(args, "--slots", 4),
            IntOption(args, "--evaluations", quick ? 20_000 : 100_000),
            IntOption(args, "--runs", 8),
            DoubleOption(args, "--fair-seconds", quick ? 8 : 20),
            DoubleOption(args, "--fair-sleep", 0.005),
            args.Contains("--cluster"));
        Console.WriteLine(args.Contains("--json") ? ToJson(outcome).ToJsonString() : Text(outcome));
        return 0;
    }

    public static async Task<Outcome> MeasureAsync(int silos, int slots, int evaluations, int runs, double fairSeconds, double fairSleep, bool bigOnCluster)
    {
        BigRun? big = null;
        if (!bigOnCluster && evaluations > 0)
        {
            Progress($"scale: (1) on an embedded silo in this process ({slots} slots, SQLite store in a temp directory)...");
            await using var silo = await DispatchSilo.StartAsync(slots);
            var spec = ClusterDispatchBenchmark.Spec(IterationsFor(evaluations)) with { Objective = DispatchSilo.Objective, MinBudget = 1, MaxBudget = 27 };
            big = await BigRunAsync("embedded", silo.Client, silo.Grains, spec, () => []);
        }

        Progress($"scale: starting {silos} silo processes with {slots} slots each (localhost clustering)...");
        await using var cluster = await ProcessCluster.StartAsync(silos, slots, "toy");
        if (evaluations > 0)
        {
            big ??= await BigRunAsync("cluster", cluster.Client, cluster.Grains, ClusterDispatchBenchmark.Spec(IterationsFor(evaluations)), () => [.. cluster.Alive.Select(s => s.PeakRssKb())]);
        }

        var fair = await FairnessAsync(cluster, runs, silos * slots, fairSeconds, fairSleep);
        return new Outcome(silos, slots, big, fair);
    }

    /// <summary>Iterations (a multiple of 4: whole HyperBand cycles of budgets 9..243, eta 3) for at least <paramref name="evaluations"/>.</summary>
    private static int IterationsFor(int evaluations)
    {
        var spec = ClusterDispatchBenchmark.Spec(4);
        var optimizer = new Optimizer(RunSpecValidator.ToSettings(spec), BenchmarkObjectives.Get("toy").Space, spec.Seed);
        var perCycle = 0;
        while (optimizer.Ask() is { Job: { } job })
        {
            optimizer.Tell(job.Key, new JobOutcome(0.0));
            perCycle++;
        }

        return 4 * (int)Math.Ceiling(evaluations / (double)perCycle);
    }

    private static async Task<BigRun> BigRunAsync(string where, HpBandSter.Orleans.Client.HpBandSterClient client, global::Orleans.IGrainFactory grains, RunSpec spec, Func<List<long>> siloPeaks)
    {
        var iterations = spec.Iterations;
        var runId = $"scale-{Guid.NewGuid():N}";
        var started = await client.StartRunAsync(runId, spec);
        if (!started.Accepted)
        {
            throw new InvalidOperationException($"The run was refused: {started.Error}");
        }

        Progress($"(1) run '{runId}' ({where}): HyperBand on '{spec.Objective}', {iterations} iterations, {started.Status?.EvaluationsPlanned} evaluations planned");
        var grain = grains.GetGrain<IRunGrain>(runId);
        var clock = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        RunStatus status;
        while (!(status = await grain.GetStatusAsync()).IsEnded)
        {
            if (clock.Elapsed - lastProgress > TimeSpan.FromSeconds(5))
            {
                lastProgress = clock.Elapsed;
                Progress(F($"  {status.Finished:N0} of {status.EvaluationsPlanned:N0} after {status.ElapsedSeconds:0.0} s"));
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"The run did not end within 10 min: {RunStatusText.Describe(status)}");
            }

            await Task.Delay(200);
        }

        if (status.State != RunState.Completed || status.Finished != status.EvaluationsPlanned || status.Crashed != 0)
        {
            throw new InvalidOperationException($"The run ended {RunStatusText.Describe(status)}");
        }

        Progress(F($"  completed: {status.Finished:N0} evaluations in {status.ElapsedSeconds:0.0} s; fetching all results..."));
        var silosPeak = siloPeaks();
        var clientBefore = SelfPeakRssKb();
        var fetch = Stopwatch.StartNew();
        var result = await client.GetResultAsync(runId);
        var fetchSeconds = fetch.Elapsed.TotalSeconds;
        var clientAfter = SelfPeakRssKb();
        var times = result.GetAllRuns().Select(r => r.TimeStamps.Finished).Order().ToArray();
        if (times.Length != status.Finished)
        {
            throw new InvalidOperationException($"GetResultAsync returned {times.Length} results, the run recorded {status.Finished}.");
        }

        var window = Math.Min(Window, times.Length / 3);
        double PerResultUs(int from) => (times[from + window - 1] - times[from]) / (window - 1) * 1e6;
        return new BigRun(where, status.Finished, iterations, status.ElapsedSeconds, window, PerResultUs(0), PerResultUs(window), PerResultUs(times.Length - window), silosPeak, clientBefore, clientAfter, fetchSeconds);
    }

    private static async Task<Fairness> FairnessAsync(ProcessCluster cluster, int runs, int totalSlots, double seconds, double sleep)
    {
        Progress(F($"(2) {runs} concurrent runs, 'toy' with {sleep * 1000:0.#} ms per evaluation, on {totalSlots} slots for {seconds:0} s..."));
        var ids = Enumerable.Range(0, runs).Select(i => $"fair-{i}-{Guid.NewGuid():N}").ToArray();

        // Big enough that none ends inside the window: the window ends with the cancel.
        var starts = await Task.WhenAll(ids.Select((id, i) => cluster.Client.StartRunAsync(id, ClusterDispatchBenchmark.Spec(2000, sleep, seed: i + 1))));
        if (starts.FirstOrDefault(s => !s.Accepted) is { } refused)
        {
            throw new InvalidOperationException($"A run was refused: {refused.Error}");
        }

        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var end = UnixNow();
        var statuses = await Task.WhenAll(ids.Select(id => cluster.Client.GetStatusAsync(id)));
        await Task.WhenAll(ids.Select(id => cluster.Client.CancelAsync(id)));
        var hosts = statuses.Select(st => cluster.SiloOf(st.Host)?.Name ?? st.Host ?? "?").ToList();
        var results = await Task.WhenAll(ids.Select(id => cluster.Client.GetResultAsync(id)));
        var windowStart = results.Max(r => r.Settings.TimeRef);
        var counts = new List<int>();
        foreach (var result in results)
        {
            var evaluations = result.GetAllRuns().Select(r => r.TimeStamps.Finished + result.Settings.TimeRef).Count(t => t >= windowStart && t <= end);
            counts.Add(evaluations);
        }

        var fairness = new Fairness(runs, totalSlots, sleep, end - windowStart, counts, hosts);
        Progress(F($"  window {fairness.WindowSeconds:0.0} s: evaluations per run {string.Join(", ", counts)}; worst deviation from an equal share {fairness.WorstDeviation:P1}"));
        return fairness;
    }

    public static string Text(Outcome o)
    {
        var f = o.Fair;
        var lines = new List<string>
        {
            F($"Scale. Cluster: {o.Silos} hpbandster-silo processes × {o.SlotsPerSilo} slots on this machine (localhost clustering, runs journaled in SQLite), the client in the benchmark process."),
            $"Machine: {Machine()}; load average at the end: {LoadAverage()}.",
            "",
        };
        if (o.Big is { } b)
        {
            AddBigRun(lines, o, b);
        }
        else
        {
            lines.Add("(1) The 100,000-evaluation run was skipped (--evaluations 0).");
        }

        lines.Add("");
        lines.Add(F($"(2) {f.Runs} concurrent runs on {f.TotalSlots} slots, 'toy' with {f.SleepSeconds * 1000:0.#} ms per evaluation, over the {f.WindowSeconds:0.0} s in which all of them ran (equal share {f.Share:0.0} evaluations/s):"));
        lines.Add("");
        lines.Add("| Run | Run grain on | Evaluations in the window | Evaluations/s | vs equal share |");
        lines.Add("|---:|---|---:|---:|---:|");
        var run = 0;
        foreach (var rate in f.Rates)
        {
            lines.Add(F($"| {run + 1} | {f.Hosts[run]} | {f.EvaluationsInWindow[run]:N0} | {rate:0.0} | {(rate / f.Share) - 1:+0.0%;-0.0%} |"));
            run++;
        }

        lines.Add("");
        lines.Add(F($"Worst deviation from an equal share: {f.WorstDeviation:P1} (target within 25 %: {(f.WorstDeviation <= 0.25 ? "met" : "NOT met")})."));
        return string.Join(Environment.NewLine, lines);
    }

    private static void AddBigRun(List<string> lines, Outcome o, BigRun b)
    {
        lines.Add(b.Where == "embedded"
                ? F($"(1) One HyperBand run on an embedded silo in the benchmark process ({o.SlotsPerSilo} slots, the durable SQLite store), zero-cost objective, budgets 1..27, eta 3, {b.Iterations:N0} iterations: {b.Evaluations:N0} evaluations completed in {b.Seconds:0.0} s ({b.Evaluations / b.Seconds:N0} /s).")
                : F($"(1) One HyperBand run on the cluster, 'toy' (µs per evaluation), budgets 9..243, eta 3, {b.Iterations:N0} iterations: {b.Evaluations:N0} evaluations completed in {b.Seconds:0.0} s ({b.Evaluations / b.Seconds:N0} /s)."));
        lines.Add("");
        lines.Add("| | Value |");
        lines.Add("|---|---:|");
        for (var i = 0; i < b.SiloPeakKb.Count; i++)
        {
            lines.Add($"| Peak memory (VmHWM), silo {i} | {Mb(b.SiloPeakKb[i])} |");
        }

        var client = b.Where == "embedded" ? "the process (silo and client)" : "client";
        lines.Add($"| Peak memory (VmHWM), {client}, when the run completed | {Mb(b.ClientPeakBeforeFetchKb)} |");
        lines.Add(F($"| Peak memory, {client}, after fetching all {b.Evaluations:N0} results (GetResultAsync, {b.FetchSeconds:0.0} s) | {Mb(b.ClientPeakAfterFetchKb)} |"));
        lines.Add(F($"| Cost per result (time between finishes), first {b.WindowSize:N0} results | {b.FirstWindowUs:0.0} µs |"));
        lines.Add(F($"| Cost per result, second {b.WindowSize:N0} results | {b.SecondWindowUs:0.0} µs |"));
        lines.Add(F($"| Cost per result, last {b.WindowSize:N0} results | {b.LastWindowUs:0.0} µs |"));
        lines.Add(F($"| Ratio last / first (target ≤ 1.5) | {b.Ratio:0.00}: {(b.Ratio <= 1.5 ? "met" : "NOT met")} |"));
        lines.Add(F($"| Ratio last / second | {b.RatioToSecond:0.00} |"));
    }

    public static JsonObject ToJson(Outcome o)
    {
        var json = MachineJson();
        json["silos"] = o.Silos;
        json["slotsPerSilo"] = o.SlotsPerSilo;
        json["bigRun"] = o.Big is null ? null : new JsonObject
        {
            ["where"] = o.Big.Where,
            ["evaluations"] = o.Big.Evaluations,
            ["iterations"] = o.Big.Iterations,
            ["seconds"] = o.Big.Seconds,
            ["siloPeakRssKb"] = new JsonArray([.. o.Big.SiloPeakKb.Select(k => (JsonNode?)k)]),
            ["clientPeakRssKbBeforeFetch"] = o.Big.ClientPeakBeforeFetchKb,
            ["clientPeakRssKbAfterFetch"] = o.Big.ClientPeakAfterFetchKb,
            ["fetchSeconds"] = o.Big.FetchSeconds,
            ["windowResults"] = o.Big.WindowSize,
            ["firstWindowMicrosecondsPerResult"] = o.Big.FirstWindowUs,
            ["secondWindowMicrosecondsPerResult"] = o.Big.SecondWindowUs,
            ["lastWindowMicrosecondsPerResult"] = o.Big.LastWindowUs,
            ["ratioLastToFirst"] = o.Big.Ratio,
            ["ratioLastToSecond"] = o.Big.RatioToSecond,
            ["ratioMet"] = o.Big.Ratio <= 1.5,
        };
        json["fairness"] = new JsonObject
        {
            ["runs"] = o.Fair.Runs,
            ["totalSlots"] = o.Fair.TotalSlots,
            ["evaluationSeconds"] = o.Fair.SleepSeconds,
            ["windowSeconds"] = o.Fair.WindowSeconds,
            ["equalSharePerSecond"] = o.Fair.Share,
            ["evaluationsInWindow"] = new JsonArray([.. o.Fair.EvaluationsInWindow.Select(n => (JsonNode?)n)]),
            ["runGrainHosts"] = new JsonArray([.. o.Fair.Hosts.Select(h => (JsonNode?)h)]),
            ["worstDeviation"] = o.Fair.WorstDeviation,
            ["met"] = o.Fair.WorstDeviation <= 0.25,
        };
        return json;
    }
}
