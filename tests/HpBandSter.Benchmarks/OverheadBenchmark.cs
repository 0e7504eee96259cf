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
/// calls lasting at least 10 ms, after a warm-up of half a second (so tiered compilation has optimized the loops).
/// Targets: Ask ≤ 0.3 ms (6-D) and ≤ 1 ms (16-D) at every n; refit ≤ 0.5 ms at n = 1000.
/// </summary>
internal static class OverheadBenchmark
{
    private const double RefitTargetMs = 0.5;
    private const int RefitTargetN = 1000;

    public static int Run(string[] args)
    {
        int[] ns = Option(args, "--n") is { } list ? [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : [30, 100, 300, 1000, 3000];
        var samples = Option(args, "--samples") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 21;
        var json = args.Contains("--json");
        var rows = new List<(string Space, string Problem, int N, double AskMs, double RefitMs, double AskTargetMs)>();
        foreach (var (problem, space, askTarget) in new[] { ("hartmann6", "6-D", 0.3), ("countingones", "16-D", 1.0) })
        {
            foreach (var count in ns)
            {
                var generator = Setup(problem, count, out var budget);
                if (generator is null)
                {
                    rows.Add((space, problem, count, double.NaN, double.NaN, askTarget));
                    continue;
                }

                var ask = MedianMs(() => _ = generator.GetConfig(budget), samples);
                var refit = MedianMs(generator.RefitAll, samples);
                rows.Add((space, problem, count, ask, refit, askTarget));
                if (!json)
                {
                    Console.Error.WriteLine(FormattableString.Invariant($"  {space} n={count}: Ask {ask:0.0000} ms, refit {refit:0.0000} ms"));
                }
            }
        }

        if (json)
        {
            var array = new JsonArray([.. rows.Select(r => (JsonNode?)new JsonObject
            {
                ["space"] = r.Space,
                ["problem"] = r.Problem,
                ["n"] = r.N,
                ["askMs"] = double.IsNaN(r.AskMs) ? null : r.AskMs,
                ["askTargetMs"] = r.AskTargetMs,
                ["askMet"] = r.AskMs <= r.AskTargetMs,
                ["refitMs"] = double.IsNaN(r.RefitMs) ? null : r.RefitMs,
                ["refitTargetMs"] = r.N == RefitTargetN ? RefitTargetMs : null,
                ["refitMet"] = r.N == RefitTargetN ? r.RefitMs <= RefitTargetMs : null,
            })]);
            Console.WriteLine(new JsonObject { ["machine"] = Machine(), ["samples"] = samples, ["rows"] = array }.ToJsonString());
            return 0;
        }

        Console.WriteLine();
        Console.WriteLine($"BOHB optimizer overhead (Stopwatch, median of {samples} batches; model-based Ask with 64 candidates; refit = good and bad KDEs on all n observations)");
        Console.WriteLine($"Machine: {Machine()}");
        Console.WriteLine();
        Console.WriteLine("| Space | n | Ask (ms) | Ask target | Refit (ms) | Refit target |");
        Console.WriteLine("|---|---:|---:|---|---:|---|");
        foreach (var r in rows)
        {
            if (double.IsNaN(r.AskMs))
            {
                Console.WriteLine(FormattableString.Invariant($"| {r.Space} ({r.Problem}) | {r.N:N0} | no model | | no model | |"));
                continue;
            }

            var refitTarget = r.N == RefitTargetN ? FormattableString.Invariant($"≤ {RefitTargetMs} ms: {(r.RefitMs <= RefitTargetMs ? "met" : "NOT met")}") : "";
            Console.WriteLine(FormattableString.Invariant(
                $"| {r.Space} ({r.Problem}) | {r.N:N0} | {r.AskMs:0.000} | ≤ {r.AskTargetMs} ms: {(r.AskMs <= r.AskTargetMs ? "met" : "NOT met")} | {r.RefitMs:0.000} | {refitTarget} |"));
        }

        return 0;
    }

    /// <summary>A BOHB generator with <paramref name="n"/> observations on the maximum budget and a fitted model, or null when n is too small for one.</summary>
    private static BohbGenerator? Setup(string problem, int n, out double budget)
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
        return generator.ModelBudgets.Count == 0 ? null : generator;
    }

    /// <summary>Median over samples of the mean milliseconds per call in a batch sized to last at least 10 ms.</summary>
    private static double MedianMs(Action action, int samples)
    {
        var warmUp = Stopwatch.StartNew();
        var calls = 0;
        while (warmUp.ElapsedMilliseconds < 500)
        {
            action();
            calls++;
        }

        var batch = Math.Max(1, (int)Math.Ceiling(calls * 10.0 / warmUp.Elapsed.TotalMilliseconds));
        var perCall = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < batch; i++)
            {
                action();
            }

            perCall[s] = clock.Elapsed.TotalMilliseconds / batch;
        }

        Array.Sort(perCall);
        return perCall[samples / 2];
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
