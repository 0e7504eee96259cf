using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HpBandSter.Benchmarks;

/// <summary>The quality benchmark's tables (markdown) and data (JSON, with every seed's trajectory).</summary>
internal sealed class QualityReport(
    IReadOnlyList<QualityProblem> problems,
    IReadOnlyList<string> optimizers,
    IReadOnlyList<long> seeds,
    IReadOnlyList<QualityRun> runs,
    QualityClusterOutcome? cluster,
    double seconds,
    string arguments)
{
    /// <summary>A paired comparison's first optimizer is the one earlier in this list.</summary>
    private static readonly string[] ComparisonOrder = ["BOHB", "H2BO", "HyperBand", "RandomSearch"];

    /// <summary>"Clearly beats": lower mean and median regret, and a sign test on the seeds below this.</summary>
    private const double ClearlyP = 0.05;

    public string Markdown()
    {
        var md = new StringBuilder();
        var pct = string.Join(", ", QualityBenchmark.Fractions.Select(Percent));
        md.AppendLine("### Optimizer quality");
        md.AppendLine();
        md.AppendLine(Invariant($"Regret of the incumbent (the configuration with the lowest observed loss among the evaluations on the maximum budget), measured as its noise-free true loss minus the problem's optimum, after {pct} of the total budget. {seeds.Count} seeds (1…{seeds.Count}) per problem and optimizer, the same seeds for every optimizer; default settings, eta 3, one job at a time. A cell shows mean ± standard error and median [Q1, Q3]."));
        md.AppendLine();
        md.Append("| Problem (total budget) | Optimizer |");
        foreach (var f in QualityBenchmark.Fractions)
        {
            md.Append(Invariant($" {Percent(f)}: mean ± SE | {Percent(f)}: median [Q1, Q3] |"));
        }

        md.AppendLine();
        md.Append("|---|---|");
        foreach (var _ in QualityBenchmark.Fractions)
        {
            md.Append("---:|---:|");
        }

        md.AppendLine();
        foreach (var problem in problems)
        {
            foreach (var optimizer in optimizers)
            {
                md.Append(Invariant($"| {problem.Name} ({problem.TotalBudget / problem.Objective.MaxBudget:0} × {problem.Objective.MaxBudget:0}) | {optimizer} |"));
                for (var k = 0; k < QualityBenchmark.Fractions.Length; k++)
                {
                    var s = QualityStatistics.Summarize(Regrets(problem.Name, optimizer, k));
                    var missing = seeds.Count - s.Count;
                    md.Append(Invariant($" {Number(s.Mean)} ± {Number(s.StandardError)}{(missing > 0 ? $" ({missing} without incumbent)" : "")} | {Number(s.Median)} [{Number(s.Q1)}, {Number(s.Q3)}] |"));
                }

                md.AppendLine();
            }
        }

        var modelLines = (from problem in problems
                          from optimizer in optimizers
                          let cell = runs.Where(r => r.Problem == problem.Name && r.Optimizer == optimizer).ToArray()
                          where cell.Sum(r => r.ModelBased) > 0
                          select Invariant($"{problem.Name} {optimizer} {100.0 * cell.Sum(r => r.ModelBased) / cell.Sum(r => r.NewConfigs):0} % of {cell.Sum(r => r.NewConfigs) / (double)cell.Length:0} configurations")).ToArray();
        if (modelLines.Length > 0)
        {
            md.AppendLine();
            md.AppendLine("Configurations proposed by the model (the rest are drawn from the prior), per run on average: " + string.Join("; ", modelLines) + ".");
        }

        md.AppendLine();
        md.AppendLine(Invariant($"Paired on the same seeds: W/T/L counts the seeds where the first optimizer's regret is lower / equal / higher; p is a two-sided exact sign test over the seeds that are not tied. Ties are real: with the same seed the optimizers draw the same configurations from the prior until their paths diverge (common random numbers; HyperBand's and H2BO's first brackets are identical, and RandomSearch evaluates HyperBand's first draws), so they often share an incumbent early on."));
        md.AppendLine();
        md.Append("| Problem | Comparison |");
        foreach (var f in QualityBenchmark.Fractions)
        {
            md.Append(Invariant($" {Percent(f)}: W/T/L (p) |"));
        }

        md.AppendLine();
        md.Append("|---|---|");
        foreach (var _ in QualityBenchmark.Fractions)
        {
            md.Append("---:|");
        }

        md.AppendLine();
        foreach (var problem in problems)
        {
            foreach (var (a, b) in Pairs())
            {
                md.Append(Invariant($"| {problem.Name} | {a} vs {b} |"));
                for (var k = 0; k < QualityBenchmark.Fractions.Length; k++)
                {
                    var o = QualityStatistics.Compare(Regrets(problem.Name, a, k), Regrets(problem.Name, b, k));
                    md.Append(Invariant($" {o.Wins}/{o.Ties}/{o.Losses} ({PValue(o.SignTestP)}) |"));
                }

                md.AppendLine();
            }
        }

        var expectation = Expectation();
        if (expectation.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(Invariant($"Expected shape (BOHB paper): BOHB clearly beats RandomSearch and HyperBand at 100 % of the budget on countingones and hartmann6. \"Clearly\" here: lower mean and lower median regret, more wins than losses, sign test p < {ClearlyP}."));
            md.AppendLine();
            foreach (var line in expectation)
            {
                md.AppendLine(line);
            }
        }

        if (cluster is not null)
        {
            md.AppendLine();
            md.AppendLine(cluster.Describe(optimizers, [.. seeds.Take(cluster.Runs / Math.Max(1, optimizers.Count))]));
        }

        md.AppendLine();
        md.AppendLine(Invariant($"Measured with `dotnet run -c Release --project tests/HpBandSter.Benchmarks -- quality {arguments.Replace("quality", "", StringComparison.Ordinal).Trim()}` in {seconds:0} s on {Machine()}."));
        return md.ToString();
    }

    public string Json()
    {
        var root = new JsonObject
        {
            ["generated"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["arguments"] = arguments,
            ["machine"] = Machine(),
            ["seconds"] = seconds,
            ["regret"] = "incumbent = lowest observed loss among max-budget evaluations; regret = its noise-free true loss minus the optimum",
            ["trajectoryFormat"] = "runs[].trajectory: [cumulative budget, regret] after each evaluation that changed the incumbent; the regret holds until the next point and up to budgetSpent. Only evaluations ending within the total budget count. regretAt: at fractions[] of the total budget (null: no incumbent yet).",
            ["fractions"] = new JsonArray([.. QualityBenchmark.Fractions.Select(f => (JsonNode?)f)]),
            ["seeds"] = new JsonArray([.. seeds.Select(s => (JsonNode?)s)]),
            ["problems"] = new JsonArray([.. problems.Select(p => (JsonNode?)new JsonObject
            {
                ["name"] = p.Name,
                ["minBudget"] = p.Objective.MinBudget,
                ["maxBudget"] = p.Objective.MaxBudget,
                ["eta"] = QualityProblem.Eta,
                ["totalBudget"] = p.TotalBudget,
                ["hyperBandIterations"] = p.HyperBandIterations,
                ["optimum"] = p.Objective.Optimum,
            })]),
            ["summary"] = new JsonArray([.. from p in problems from o in optimizers select (JsonNode?)new JsonObject
            {
                ["problem"] = p.Name,
                ["optimizer"] = o,
                ["atFraction"] = new JsonArray([.. QualityBenchmark.Fractions.Select((f, k) => (JsonNode?)SummaryJson(f, QualityStatistics.Summarize(Regrets(p.Name, o, k))))]),
            }]),
            ["paired"] = new JsonArray([.. from p in problems from pair in Pairs() select (JsonNode?)new JsonObject
            {
                ["problem"] = p.Name,
                ["a"] = pair.A,
                ["b"] = pair.B,
                ["atFraction"] = new JsonArray([.. QualityBenchmark.Fractions.Select((f, k) => (JsonNode?)PairJson(f, QualityStatistics.Compare(Regrets(p.Name, pair.A, k), Regrets(p.Name, pair.B, k))))]),
            }]),
            ["cluster"] = cluster is null ? null : new JsonObject
            {
                ["problem"] = cluster.Problem,
                ["runs"] = cluster.Runs,
                ["identical"] = cluster.Identical,
                ["passed"] = cluster.Passed,
                ["details"] = new JsonArray([.. cluster.Details.Select(d => (JsonNode?)d)]),
            },
            ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode?)new JsonObject
            {
                ["problem"] = r.Problem,
                ["optimizer"] = r.Optimizer,
                ["seed"] = r.Seed,
                ["evaluations"] = r.Evaluations,
                ["iterations"] = r.Iterations,
                ["budgetSpent"] = r.BudgetSpent,
                ["seconds"] = r.Seconds,
                ["newConfigs"] = r.NewConfigs,
                ["modelBasedPicks"] = r.ModelBased,
                ["regretAt"] = new JsonArray([.. r.RegretAt.Select(Value)]),
                ["trajectory"] = new JsonArray([.. r.Trajectory.Select(t => (JsonNode?)new JsonArray(t.Budget, t.Regret))]),
            })]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) + Environment.NewLine;
    }

    private IEnumerable<(string A, string B)> Pairs()
    {
        var present = ComparisonOrder.Where(optimizers.Contains).ToArray();
        for (var i = 0; i < present.Length; i++)
        {
            for (var j = i + 1; j < present.Length; j++)
            {
                yield return (present[i], present[j]);
            }
        }
    }

    /// <summary>The regrets at fraction <paramref name="k"/>, ordered by seed (so that two optimizers' lists pair up).</summary>
    private double[] Regrets(string problem, string optimizer, int k)
    {
        var byseed = runs.Where(r => r.Problem == problem && r.Optimizer == optimizer).ToDictionary(r => r.Seed, r => r.RegretAt[k]);
        return [.. seeds.Select(s => byseed.TryGetValue(s, out var v) ? v : double.NaN)];
    }

    private List<string> Expectation()
    {
        var lines = new List<string>();
        var last = QualityBenchmark.Fractions.Length - 1;
        foreach (var problem in problems.Where(p => p.Name is "countingones" or "hartmann6"))
        {
            foreach (var other in new[] { "RandomSearch", "HyperBand" }.Where(o => optimizers.Contains(o) && optimizers.Contains("BOHB")))
            {
                var bohb = Regrets(problem.Name, "BOHB", last);
                var them = Regrets(problem.Name, other, last);
                var a = QualityStatistics.Summarize(bohb);
                var b = QualityStatistics.Summarize(them);
                var o = QualityStatistics.Compare(bohb, them);
                var clearly = a.Mean < b.Mean && a.Median < b.Median && o.Wins > o.Losses && o.SignTestP < ClearlyP;
                lines.Add(Invariant($"- {problem.Name}, BOHB vs {other}: {(clearly ? "yes" : "NO")} — mean {Number(a.Mean)} vs {Number(b.Mean)}, median {Number(a.Median)} vs {Number(b.Median)}, W/T/L {o.Wins}/{o.Ties}/{o.Losses}, p {(o.SignTestP < 1e-4 ? "" : "= ")}{PValue(o.SignTestP)}."));
            }
        }

        return lines;
    }

    private static JsonObject SummaryJson(double fraction, QualitySummary s) => new()
    {
        ["fraction"] = fraction,
        ["count"] = s.Count,
        ["mean"] = Value(s.Mean),
        ["standardError"] = Value(s.StandardError),
        ["median"] = Value(s.Median),
        ["q1"] = Value(s.Q1),
        ["q3"] = Value(s.Q3),
    };

    private static JsonObject PairJson(double fraction, PairedOutcome o) => new()
    {
        ["fraction"] = fraction,
        ["wins"] = o.Wins,
        ["ties"] = o.Ties,
        ["losses"] = o.Losses,
        ["signTestP"] = o.SignTestP,
    };

    /// <summary>A JSON number, or null for NaN (JSON has no NaN).</summary>
    private static JsonNode? Value(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    private static string Percent(double f) => Invariant($"{f * 100:0} %");

    /// <summary>Three significant digits (G3), with a short exponent for very small values.</summary>
    public static string Number(double v) =>
        double.IsNaN(v) ? "–" : v.ToString("G3", CultureInfo.InvariantCulture).Replace("E-0", "e-", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal).Replace("E+0", "e+", StringComparison.Ordinal).Replace("E+", "e+", StringComparison.Ordinal);

    private static string PValue(double p) => p < 1e-4 ? "< 1e-4" : p.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} processors{(cpu is null ? "" : $" ({cpu})")}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
