using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HpBandSter.Optimizers;

namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>quality [--out FOLDER] [--seeds 50] [--problems toy,branin,hartmann6,countingones]
/// [--optimizers randomsearch,hyperband,bohb,h2bo] [--cluster-seeds 3] [--cluster-problem branin] [--threads N] [--self-check]</c>:
/// how good the configurations are that each optimizer finds for a fixed total budget (issue 6 §1).
/// </summary>
/// <remarks>
/// Every (problem, optimizer, seed) is one run of Core's optimizer in-process with one job at a time (one slot), so a
/// seed is reproducible; the runs are spread over the processors. Then a few seeds of one problem run through an
/// embedded cluster to check that it evaluates exactly the same (<see cref="QualityClusterCheck"/>). The figures
/// go to the console, FOLDER/quality.md and FOLDER/quality.json (every seed's trajectory).
/// </remarks>
internal static class QualityBenchmark
{
    /// <summary>The fractions of the total budget at which the regret is reported.</summary>
    public static readonly double[] Fractions = [0.25, 0.5, 1.0];

    private static readonly OptimizerKind[] AllKinds = [OptimizerKind.RandomSearch, OptimizerKind.HyperBand, OptimizerKind.Bohb, OptimizerKind.H2bo];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--self-check"))
        {
            return QualitySelfCheck.Run();
        }

        var output = Option(args, "--out") ?? "quality-results";
        var seedCount = Option(args, "--seeds") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 50;
        var problems = (Option(args, "--problems") is { } p ? p.Split(',', StringSplitOptions.RemoveEmptyEntries) : QualityProblem.Names)
            .Select(QualityProblem.Get).ToArray();
        var kinds = Option(args, "--optimizers") is { } o ? o.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseKind).ToArray() : AllKinds;
        var clusterSeeds = Option(args, "--cluster-seeds") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 3;
        var clusterProblem = QualityProblem.Get(Option(args, "--cluster-problem") ?? "branin");
        var threads = Option(args, "--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : Environment.ProcessorCount;
        if (seedCount < 1 || problems.Length == 0 || kinds.Length == 0 || clusterSeeds < 0 || threads < 1)
        {
            Console.Error.WriteLine("quality: --seeds and --threads must be at least 1, --cluster-seeds at least 0, and --problems/--optimizers must not be empty.");
            return 2;
        }

        var seeds = Enumerable.Range(1, seedCount).Select(i => (long)i).ToArray();
        Console.WriteLine($"quality: {problems.Length} problem(s) × {kinds.Length} optimizer(s) × {seedCount} seed(s), one job at a time per run, {threads} run(s) in parallel.");
        foreach (var problem in problems)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"  {problem.Name}: budgets {problem.Objective.MinBudget}..{problem.Objective.MaxBudget}, eta {QualityProblem.Eta}, total budget {problem.TotalBudget} = {problem.TotalBudget / problem.Objective.MaxBudget} × max budget ({problem.HyperBandIterations} HyperBand iterations), optimum {problem.Objective.Optimum}."));
        }

        var clock = Stopwatch.StartNew();
        var runs = RunAll(problems, kinds, seeds, threads);
        var runSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"In-process runs: {runs.Count} in {runSeconds:0.0} s."));

        QualityClusterOutcome? cluster = null;
        if (clusterSeeds > 0)
        {
            Console.WriteLine($"Running {clusterProblem.Name} through an embedded cluster ({kinds.Length} optimizer(s) × {clusterSeeds} seed(s))...");
            cluster = await QualityClusterCheck.RunAsync(clusterProblem, kinds, seeds.Take(clusterSeeds).ToArray());
            Console.WriteLine(cluster.Describe(kinds.Select(DisplayName), [.. seeds.Take(clusterSeeds)]));
            foreach (var line in cluster.Details)
            {
                Console.WriteLine("  " + line);
            }
        }

        var report = new QualityReport(problems, kinds.Select(DisplayName).ToArray(), seeds, runs, cluster, clock.Elapsed.TotalSeconds, string.Join(' ', args));
        var markdown = report.Markdown();
        Console.WriteLine();
        Console.WriteLine(markdown);
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "quality.md"), markdown);
        File.WriteAllText(Path.Combine(output, "quality.json"), report.Json());
        Console.WriteLine($"Wrote {Path.GetFullPath(Path.Combine(output, "quality.md"))} and quality.json ({clock.Elapsed.TotalSeconds:0.0} s in all).");
        return cluster is { Passed: false } ? 1 : 0;
    }

    /// <summary>RandomSearch, HyperBand, BOHB, H2BO.</summary>
    public static string DisplayName(OptimizerKind kind) => kind switch
    {
        OptimizerKind.RandomSearch => "RandomSearch",
        OptimizerKind.HyperBand => "HyperBand",
        OptimizerKind.Bohb => "BOHB",
        OptimizerKind.H2bo => "H2BO",
        _ => kind.ToString(),
    };

    private static OptimizerKind ParseKind(string name) => name.ToLowerInvariant() switch
    {
        "randomsearch" or "random" or "rs" => OptimizerKind.RandomSearch,
        "hyperband" or "hb" => OptimizerKind.HyperBand,
        "bohb" => OptimizerKind.Bohb,
        "h2bo" => OptimizerKind.H2bo,
        _ => throw new ArgumentException($"Unknown optimizer '{name}'; use randomsearch, hyperband, bohb or h2bo."),
    };

    /// <summary>Every (problem, optimizer, seed), longest cells first, on <paramref name="threads"/> threads; progress per finished cell.</summary>
    private static List<QualityRun> RunAll(QualityProblem[] problems, OptimizerKind[] kinds, long[] seeds, int threads)
    {
        var work = (from problem in problems
                    from kind in kinds
                    from seed in seeds
                    select (Problem: problem, Kind: kind, Seed: seed))
            .OrderByDescending(w => w.Problem.Name == "countingones") // the largest runs first, so that the parallel tail is short
            .ThenByDescending(w => w.Kind is OptimizerKind.Bohb or OptimizerKind.H2bo)
            .ToArray();
        var results = new ConcurrentBag<QualityRun>();
        var remaining = new ConcurrentDictionary<(string, OptimizerKind), int>();
        foreach (var problem in problems)
        {
            foreach (var kind in kinds)
            {
                remaining[(problem.Name, kind)] = seeds.Length;
            }
        }

        var done = 0;
        var clock = Stopwatch.StartNew();
        var console = new Lock();
        Parallel.ForEach(
            System.Collections.Concurrent.Partitioner.Create(work, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = threads },
            w =>
            {
                var run = Measure(w.Problem, w.Kind, w.Seed);
                results.Add(run);
                var finished = Interlocked.Increment(ref done);
                if (remaining.AddOrUpdate((w.Problem.Name, w.Kind), 0, (_, n) => n - 1) == 0)
                {
                    lock (console)
                    {
                        Console.WriteLine(FormattableString.Invariant(
                            $"  [{finished,4}/{work.Length}] {clock.Elapsed.TotalSeconds,6:0.0} s  {w.Problem.Name} {DisplayName(w.Kind)}: all {seeds.Length} seeds done"));
                    }
                }
            });
        return [.. results.OrderBy(r => Array.FindIndex(problems, p => p.Name == r.Problem)).ThenBy(r => r.Optimizer).ThenBy(r => r.Seed)];
    }

    private static QualityRun Measure(QualityProblem problem, OptimizerKind kind, long seed)
    {
        var clock = Stopwatch.StartNew();
        var (evaluations, iterations, newConfigs, modelBased) = QualityRunner.Run(problem, kind, seed);
        var seconds = clock.Elapsed.TotalSeconds;
        var max = problem.Objective.MaxBudget;
        var steps = QualityTrajectory.Steps(evaluations, max, problem.TotalBudget);
        var spent = QualityTrajectory.Spent(evaluations, problem.TotalBudget);
        var counted = 0;
        var sum = 0.0;
        foreach (var e in evaluations)
        {
            sum += e.Budget;
            if (sum > problem.TotalBudget)
            {
                break;
            }

            counted++;
        }

        var regretAt = Fractions.Select(f => QualityTrajectory.RegretAt(steps, f * problem.TotalBudget)).ToArray();
        return new QualityRun(problem.Name, DisplayName(kind), seed, counted, iterations, spent, regretAt, steps, seconds, newConfigs, modelBased);
    }

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
