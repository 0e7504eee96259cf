namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>quality --self-check</c>: checks the quality benchmark's arithmetic (incumbent, regret at a budget, summary
/// statistics, paired counts, sign test) on small hand-computed cases, and that a seed is reproducible.
/// Prints each check and exits 1 if any fails.
/// </summary>
internal static class QualitySelfCheck
{
    public static int Run()
    {
        var failures = 0;

        void Check(string name, bool ok, string detail = "")
        {
            Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {name}{(ok || detail.Length == 0 ? "" : ": " + detail)}");
            if (!ok)
            {
                failures++;
            }
        }

        static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b));

        Console.WriteLine("quality --self-check");

        // Max budget 10, total 60. The incumbent follows the observed loss, not the regret; low budgets never count,
        // ties keep the earlier one, and the evaluation ending beyond the total is not counted.
        QualityEvaluation E(double budget, double loss, double regret) => new(0, 0, 0, budget, loss, regret);
        QualityEvaluation[] evaluations =
        [
            E(5, -9.0, 0.01),   // spent 5: low budget, not an incumbent however good
            E(10, 3.0, 0.8),    // spent 15: first incumbent, regret 0.8
            E(10, 4.0, 0.1),    // spent 25: worse observed loss, stays 0.8 although its regret is lower
            E(10, 2.0, 0.5),    // spent 35: new incumbent, regret 0.5
            E(10, 2.0, 0.0),    // spent 45: tie in loss, the earlier stays
            E(10, double.NaN, 0.0), // spent 55: no loss, never an incumbent
            E(10, 1.0, 0.2),    // spent 65: beyond the total of 60, not counted
        ];
        var steps = QualityTrajectory.Steps(evaluations, 10, 60);
        Check("trajectory steps", steps.SequenceEqual([(15.0, 0.8), (35.0, 0.5)]), string.Join(", ", steps));
        Check("regret before any max-budget evaluation is NaN", double.IsNaN(QualityTrajectory.RegretAt(steps, 14.9)));
        Check("regret at 15 (the step's own budget counts)", QualityTrajectory.RegretAt(steps, 15) == 0.8);
        Check("regret at 34.9", QualityTrajectory.RegretAt(steps, 34.9) == 0.8);
        Check("regret at 60", QualityTrajectory.RegretAt(steps, 60) == 0.5);
        Check("budget spent within the total", QualityTrajectory.Spent(evaluations, 60) == 55);

        // Summary statistics: 1, 2, 3, 4, 10 (and a NaN that must be ignored).
        var s = QualityStatistics.Summarize([4, 1, double.NaN, 10, 3, 2]);
        Check("count ignores NaN", s.Count == 5, s.ToString());
        Check("mean", Near(s.Mean, 4.0), s.ToString());
        Check("standard error = sd(n−1)/√n", Near(s.StandardError, Math.Sqrt(12.5 / 5)), s.ToString()); // var = (9+4+1+0+36)/4 = 12.5
        Check("median", Near(s.Median, 3), s.ToString());
        Check("quartiles (type 7)", Near(s.Q1, 2) && Near(s.Q3, 4), s.ToString());
        var even = QualityStatistics.Summarize([1, 2, 3, 4]);
        Check("median and quartiles of 1..4", Near(even.Median, 2.5) && Near(even.Q1, 1.75) && Near(even.Q3, 3.25), even.ToString());
        Check("one value: standard error 0", QualityStatistics.Summarize([7]) is { Mean: 7, StandardError: 0, Median: 7, Q1: 7, Q3: 7 });

        // Paired: A lower on seeds 0 and 3, tie on 1 (within tolerance), higher on 2, seed 4 skipped (NaN).
        var paired = QualityStatistics.Compare([0.1, 0.5, 0.9, 0.0, double.NaN], [0.2, 0.5 + 1e-13, 0.3, 0.4, 0.1]);
        Check("wins/ties/losses", paired is { Wins: 2, Ties: 1, Losses: 1 }, paired.ToString());

        // Sign test: 0 of 10 → 2/1024; 5 of 10 → 1; 1 of 5 → 2·6/32 = 0.375; nothing → 1.
        Check("sign test 10/0", Near(QualityStatistics.SignTest(10, 0), 2.0 / 1024));
        Check("sign test 5/5", Near(QualityStatistics.SignTest(5, 5), 1.0));
        Check("sign test 1/4", Near(QualityStatistics.SignTest(1, 4), 0.375));
        Check("sign test 0/0", QualityStatistics.SignTest(0, 0) == 1.0);
        Check("sign test 40/10", Math.Abs(QualityStatistics.SignTest(40, 10) - 2.3861331676755526e-05) < 1e-15, QualityStatistics.SignTest(40, 10).ToString("R", System.Globalization.CultureInfo.InvariantCulture));

        // The protocol's total budgets, and the runs' reproducibility.
        Check("toy/branin/hartmann6 total = 45 × 243", QualityProblem.Get("branin").TotalBudget == 45 * 243.0);
        Check("countingones total = 42 × 729", QualityProblem.Get("countingones").TotalBudget == 42 * 729.0);
        var problem = QualityProblem.Get("branin");
        var first = QualityRunner.Run(problem, Optimizers.OptimizerKind.Bohb, 3).Evaluations;
        var second = QualityRunner.Run(problem, Optimizers.OptimizerKind.Bohb, 3).Evaluations;
        Check("the same seed gives the same run", first.SequenceEqual(second));
        Check("BOHB on branin spends exactly the total budget", first.Sum(e => e.Budget) == problem.TotalBudget);
        var random = QualityRunner.Run(problem, Optimizers.OptimizerKind.RandomSearch, 3).Evaluations;
        Check("RandomSearch evaluates 45 configurations on the max budget", random.Count == 45 && random.All(e => e.Budget == 243), $"{random.Count}");

        Console.WriteLine(failures == 0 ? "All checks passed." : $"{failures} check(s) failed.");
        return failures == 0 ? 0 : 1;
    }
}
