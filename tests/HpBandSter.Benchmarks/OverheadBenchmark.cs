using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using HpBandSter.Objectives;
using HpBandSter.Sampling;

namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>overhead [--n 30,100,300,1000,3000] [--samples 21] [--json]</c>: BOHB's own cost per evaluation (issue 6 §2),
/// timed with a Stopwatch. The same workload as the <c>bohb</c> BenchmarkDotNet suite (<see cref="BohbBenchmarks"/>):
/// n observations with their true loss on the maximum budget of hartmann6 (6-D) and countingones (16-D); a
/// model-based Ask (random fraction 0: 64 candidates from the good KDE, both densities, decoding) and a refit of the
/// good and bad KDEs on all n. Each figure is the median over samples of the mean time per call in a batch of
/// calls lasting at least 10 ms, after a warm-up of half a second (so tiered compilation has optimized the loops),
/// as the thread's CPU time (judged against the targets; a busy machine does not inflate it) and as wall time.
/// Targets: Ask ≤ 0.3 ms (6-D) and ≤ 1 ms (16-D) at every n; refit ≤ 0.5 ms at n = 1000.
/// </summary>
internal static class OverheadBenchmark
{
    private sealed record OverheadRow(string Space, string Problem, int N, int MinimumN, double AskWallMs, double AskCpuMs, double RefitWallMs, double RefitCpuMs, double AskTargetMs);

    private const double RefitTargetMs = 0.5;
    private const int RefitTargetN = 1000;

    public static int Run(string[] args)
    {
        int[] ns = Option(args, "--n") is { } list ? [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : [30, 100, 300, 1000, 3000];
        var samples = Option(args, "--samples") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 21;
        var json = args.Contains("--json");
        var rows = new List<OverheadRow>();
        foreach (var (problem, space, askTarget) in new[] { ("hartmann6", "6-D", 0.3), ("countingones", "16-D", 1.0) })
        {
            foreach (var count in ns)
            {
                var generator = Setup(problem, count, out var budget, out var minimum);
                if (generator is null)
                {
                    rows.Add(new OverheadRow(space, problem, count, minimum, double.NaN, double.NaN, double.NaN, double.NaN, askTarget));
                    continue;
                }

                var ask = MedianMs(() => _ = generator.GetConfig(budget), samples);
                var refit = MedianMs(generator.RefitAll, samples);
                rows.Add(new OverheadRow(space, problem, count, minimum, ask.WallMs, ask.CpuMs, refit.WallMs, refit.CpuMs, askTarget));
                if (!json)
                {
                    Console.Error.WriteLine(FormattableString.Invariant($"  {space} n={count}: Ask {ask.WallMs:0.000} ms wall, {ask.CpuMs:0.000} ms CPU; refit {refit.WallMs:0.000} ms wall, {refit.CpuMs:0.000} ms CPU"));
                }
            }
        }

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        if (json)
        {
            var array = new JsonArray([.. rows.Select(r => (JsonNode?)new JsonObject
            {
                ["space"] = r.Space,
                ["problem"] = r.Problem,
                ["n"] = r.N,
                ["modelNeedsN"] = r.MinimumN,
                ["askWallMs"] = Value(r.AskWallMs),
                ["askCpuMs"] = Value(r.AskCpuMs),
                ["askTargetMs"] = r.AskTargetMs,
                ["askMet"] = double.IsNaN(r.AskCpuMs) ? null : r.AskCpuMs <= r.AskTargetMs,
                ["refitWallMs"] = Value(r.RefitWallMs),
                ["refitCpuMs"] = Value(r.RefitCpuMs),
                ["refitTargetMs"] = r.N == RefitTargetN ? RefitTargetMs : null,
                ["refitMet"] = r.N == RefitTargetN && !double.IsNaN(r.RefitCpuMs) ? r.RefitCpuMs <= RefitTargetMs : null,
            })]);
            Console.WriteLine(new JsonObject
            {
                ["machine"] = Machine(),
                ["loadAverage1Min"] = load,
                ["samples"] = samples,
                ["cpuClock"] = ThreadCpuClock.IsThreadCpuTime ? "thread CPU time" : "wall time (no thread CPU clock)",
                ["rows"] = array,
            }.ToJsonString());
            return 0;
        }

        Console.WriteLine();
        Console.WriteLine($"BOHB optimizer overhead: model-based Ask (64 candidates, both densities, decoding) and refit (good and bad KDEs on all n observations), median of {samples} batches of >= 10 ms.");
        Console.WriteLine($"CPU = the thread's CPU time{(ThreadCpuClock.IsThreadCpuTime ? "" : " (not available here: wall time)")}, which other processes on the machine do not inflate; targets are judged on it. Wall = Stopwatch.");
        Console.WriteLine($"Machine: {Machine()}; load average (1 min) at the end: {load}.");
        Console.WriteLine();
        Console.WriteLine("| Space | n | Ask CPU (ms) | Ask wall (ms) | Ask target | Refit CPU (ms) | Refit wall (ms) | Refit target |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|---:|---|");
        foreach (var r in rows)
        {
            if (double.IsNaN(r.AskCpuMs))
            {
                Console.WriteLine(FormattableString.Invariant($"| {r.Space} ({r.Problem}) | {r.N:N0} | no model: BOHB fits one from n = {r.MinimumN} (good and bad sets each need d + 1 rows); Ask samples the prior | | | | | |"));
                continue;
            }

            var refitTarget = r.N == RefitTargetN ? FormattableString.Invariant($"≤ {RefitTargetMs} ms: {(r.RefitCpuMs <= RefitTargetMs ? "met" : "NOT met")}") : "";
            Console.WriteLine(FormattableString.Invariant(
                $"| {r.Space} ({r.Problem}) | {r.N:N0} | {r.AskCpuMs:0.000} | {r.AskWallMs:0.000} | ≤ {r.AskTargetMs} ms: {(r.AskCpuMs <= r.AskTargetMs ? "met" : "NOT met")} | {r.RefitCpuMs:0.000} | {r.RefitWallMs:0.000} | {refitTarget} |"));
        }

        return 0;
    }

    private static JsonNode? Value(double v) => double.IsNaN(v) ? null : JsonValue.Create(v);

    /// <summary>A BOHB generator with <paramref name="n"/> observations on the maximum budget and a fitted model, or null when n is too small for one.</summary>
    private static BohbGenerator? Setup(string problem, int n, out double budget, out int minimumN)
    {
        var objective = BenchmarkObjectives.Get(problem);
        budget = objective.MaxBudget;
        var rng = new RandomSource(7UL);
        var generator = new BohbGenerator(objective.Space, new RandomSource(1UL), new BohbSettings(RandomFraction: 0));
        for (var i = 0; i < n; i++)
        {
            var config = objective.Space.Sample(rng);
            generator.NewResult(new Observation(config, budget, objective.TrueLoss(config)), updateModel: false);
        }

        generator.RefitAll();

        // The good set takes max(d + 1, 15 % of n) rows and both sets need more than d rows: the bad set has d + 1 from n = 2(d + 1).
        minimumN = 2 * (generator.Dimensions + 1);
        return generator.ModelBudgets.Count == 0 ? null : generator;
    }

    /// <summary>
    /// Medians over samples of the mean milliseconds per call in a batch sized to last at least 10 ms: wall time
    /// (Stopwatch) and the thread's CPU time (<see cref="ThreadCpuClock"/>).
    /// </summary>
    private static (double WallMs, double CpuMs) MedianMs(Action action, int samples)
    {
        var warmUp = Stopwatch.StartNew();
        var calls = 0;
        while (warmUp.ElapsedMilliseconds < 500)
        {
            action();
            calls++;
        }

        var batch = Math.Max(1, (int)Math.Ceiling(calls * 10.0 / warmUp.Elapsed.TotalMilliseconds));
        var wall = new double[samples];
        var cpu = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            var cpuStart = ThreadCpuClock.NowMilliseconds();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < batch; i++)
            {
                action();
            }

            wall[s] = clock.Elapsed.TotalMilliseconds / batch;
            cpu[s] = (ThreadCpuClock.NowMilliseconds() - cpuStart) / batch;
        }

        Array.Sort(wall);
        Array.Sort(cpu);
        return (wall[samples / 2], cpu[samples / 2]);
    }

    private static string Machine() =>
        $"{Environment.ProcessorCount} processors{(File.Exists("/proc/cpuinfo") ? " (" + File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() + ")" : "")}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }
}
