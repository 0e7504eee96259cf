using System.Diagnostics;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Runs;
using HpBandSter.Spaces;

namespace HpBandSter.Benchmarks;

/// <summary>The outcome of running the same seeds through Core and through the embedded cluster.</summary>
/// <param name="Problem">The problem.</param>
/// <param name="Runs">Runs compared (optimizers × seeds).</param>
/// <param name="Identical">Runs whose evaluations (ids, budgets, losses, regrets, in order) and trajectories were identical.</param>
/// <param name="Seconds">Wall time of the cluster runs, including the silo's start.</param>
/// <param name="Details">One line per run that differed (empty when all agree).</param>
internal sealed record QualityClusterOutcome(string Problem, int Runs, int Identical, double Seconds, IReadOnlyList<string> Details)
{
    /// <summary>Whether every run agreed.</summary>
    public bool Passed => Runs > 0 && Identical == Runs;

    /// <summary>One line for the console and the markdown.</summary>
    public string Describe(IEnumerable<string> optimizers, IReadOnlyList<long> seeds) =>
        $"Core vs embedded cluster ({Problem}; {string.Join(", ", optimizers)}; seeds {string.Join(", ", seeds)}; one in-process silo, 1 slot, SQLite run store): " +
        $"{Identical} of {Runs} runs gave identical evaluations and trajectories — {(Passed ? "PASSED" : "FAILED")} ({Seconds:0.0} s).";
}

/// <summary>
/// Runs a problem through an embedded cluster (one in-process silo with one slot and the durable SQLite store) and
/// checks that each run evaluates exactly what the Core run with the same seed evaluates, in the same order, with
/// bit-identical losses, so that the quality figures measured in-process hold for the cluster too.
/// </summary>
internal static class QualityClusterCheck
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(5);

    public static async Task<QualityClusterOutcome> RunAsync(QualityProblem problem, IReadOnlyList<OptimizerKind> kinds, IReadOnlyList<long> seeds)
    {
        var clock = Stopwatch.StartNew();
        var details = new List<string>();
        var identical = 0;
        await using (var silo = await QualitySilo.StartAsync())
        {
            foreach (var kind in kinds)
            {
                foreach (var seed in seeds)
                {
                    var (core, iterations, _, _) = QualityRunner.Run(problem, kind, seed);
                    var cluster = await RunOnClusterAsync(silo, problem, kind, seed, iterations);
                    var difference = Compare(problem, core, cluster);
                    if (difference is null)
                    {
                        identical++;
                    }
                    else
                    {
                        details.Add($"{QualityBenchmark.DisplayName(kind)} seed {seed}: {difference}");
                    }
                }
            }
        }

        return new QualityClusterOutcome(problem.Name, kinds.Count * seeds.Count, identical, clock.Elapsed.TotalSeconds, details);
    }

    private static async Task<List<QualityEvaluation>> RunOnClusterAsync(QualitySilo silo, QualityProblem problem, OptimizerKind kind, long seed, int iterations)
    {
        var runId = $"quality-{problem.Name}-{kind}-{seed}-{Guid.NewGuid():N}".ToLowerInvariant();
        var spec = new RunSpec
        {
            Objective = problem.Name,
            Optimizer = kind.ToString().ToLowerInvariant(),
            MinBudget = problem.Objective.MinBudget,
            MaxBudget = problem.Objective.MaxBudget,
            Iterations = iterations,
            Eta = QualityProblem.Eta,
            Seed = seed,
        };
        var start = await silo.Client.StartRunAsync(runId, spec);
        if (!start.Accepted)
        {
            throw new InvalidOperationException($"The cluster refused the run '{runId}': {start.Error}");
        }

        using var deadline = new CancellationTokenSource(RunDeadline);
        var status = await silo.Client.WaitForEndAsync(runId, cancellationToken: deadline.Token);
        if (status.State != RunState.Completed || status.Crashed != 0)
        {
            throw new InvalidOperationException($"The cluster run '{runId}' ended {status.State} with {status.Finished} of {status.EvaluationsPlanned} evaluations, {status.Crashed} crashed.");
        }

        // The results in the order the run recorded them, which with one slot is the order the optimizer was told.
        var grain = silo.Grains.GetGrain<IRunGrain>(runId);
        var configs = new Dictionary<ConfigId, Configuration>();
        var evaluations = new List<QualityEvaluation>();
        var cursor = default(ResultsCursor);
        while (true)
        {
            var page = await grain.GetResultsAsync(cursor, 5000);
            foreach (var c in page.Configs)
            {
                configs[new ConfigId(c.Iteration, c.Stage, c.Index)] = ConfigEntry.ToConfiguration(c.Config);
            }

            foreach (var r in page.Runs)
            {
                var key = r.Key.ToJobKey();
                var config = configs[key.Id];
                evaluations.Add(new QualityEvaluation(key.Id.Iteration, key.Id.Stage, key.Id.Index, key.Budget, r.Loss ?? double.NaN, problem.Objective.Regret(config)));
            }

            cursor = page.Next;
            if (page.Runs.Length == 0)
            {
                return evaluations;
            }
        }
    }

    /// <summary>Null when the cluster run starts with exactly the Core run's evaluations and gives the same trajectory; otherwise the first difference.</summary>
    private static string? Compare(QualityProblem problem, IReadOnlyList<QualityEvaluation> core, IReadOnlyList<QualityEvaluation> cluster)
    {
        if (cluster.Count < core.Count)
        {
            return $"the cluster recorded {cluster.Count} evaluations, Core {core.Count}.";
        }

        for (var i = 0; i < core.Count; i++)
        {
            if (core[i] != cluster[i])
            {
                return $"evaluation {i} differs: Core {core[i]}, cluster {cluster[i]}.";
            }
        }

        var max = problem.Objective.MaxBudget;
        var a = QualityTrajectory.Steps(core, max, problem.TotalBudget);
        var b = QualityTrajectory.Steps(cluster, max, problem.TotalBudget);
        return a.SequenceEqual(b) ? null : "the trajectories differ.";
    }
}
