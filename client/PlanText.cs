using System.Globalization;
using HpBandSter.Scheduling;

namespace HpBandSter.Client;

/// <summary>The human-readable <c>plan</c> output: a header, one table per iteration, and the total.</summary>
internal static class PlanText
{
    /// <summary>Writes the plan; <paramref name="optimizer"/> is the name the user chose.</summary>
    public static void Write(SchedulePlan plan, string optimizer, TextWriter output)
    {
        var schedule = plan.Schedule;
        output.WriteLine(
            $"{optimizer}: min_budget {Number(schedule.MinBudget)}, max_budget {Number(schedule.MaxBudget)}, eta {Number(schedule.Eta)}"
            + (plan.Scheme == BracketScheme.HyperBand ? $", {SizingText(schedule.Sizing)}" : string.Empty));
        output.WriteLine($"budgets: {string.Join(", ", plan.Budgets.Select(Number))}");
        switch (plan.Scheme)
        {
            case BracketScheme.HyperBand when schedule.MaxShIterations == 1:
                output.WriteLine("One budget only: every iteration evaluates configurations at max_budget (Bayesian optimization without fidelities).");
                break;
            case BracketScheme.HyperBand:
                output.WriteLine($"A full cycle of HyperBand brackets takes {Count(schedule.MaxShIterations, "iteration")}.");
                break;
            case BracketScheme.RandomSearch:
                output.WriteLine("Every iteration evaluates at max_budget only, about as much budget as one HyperBand bracket.");
                break;
            case BracketScheme.H2bo:
                output.WriteLine("Assuming no model yet: every bracket starts at the smallest budget. In a run, once a model exists on a budget,");
                output.WriteLine("H2BO's brackets start at the largest such budget and hold more configurations there.");
                break;
        }

        for (var i = 0; i < plan.Iterations.Count; i++)
        {
            var bracket = plan.Iterations[i];
            output.WriteLine();
            output.WriteLine(
                $"iteration {i}: {Count(bracket.StageCount, "stage")}, budget {Number(bracket.TotalBudget)} "
                + $"({FullEvaluations(bracket.TotalBudget / schedule.MaxBudget)})");
            var budgets = bracket.Budgets.Select(Number).ToList();
            var configsWidth = Math.Max("configs".Length, bracket.NumConfigs.Max(n => n.ToString(CultureInfo.InvariantCulture).Length));
            var budgetWidth = Math.Max("budget".Length, budgets.Max(b => b.Length));
            output.WriteLine($"  stage  {"configs".PadLeft(configsWidth)}  {"budget".PadLeft(budgetWidth)}");
            for (var stage = 0; stage < bracket.StageCount; stage++)
            {
                output.WriteLine(
                    $"  {stage,5}  {bracket.NumConfigs[stage].ToString(CultureInfo.InvariantCulture).PadLeft(configsWidth)}  {budgets[stage].PadLeft(budgetWidth)}");
            }
        }

        output.WriteLine();
        output.WriteLine(
            $"total: budget {Number(plan.TotalBudget)} = {FullEvaluations(plan.TotalBudgetInFullEvaluations)} at max_budget {Number(schedule.MaxBudget)}; "
            + $"{Count(plan.TotalEvaluations, "evaluation")} over {Count(plan.Iterations.Count, "iteration")}");
    }

    private static string SizingText(BracketSizing sizing) =>
        sizing == BracketSizing.Ceil ? "ceil bracket sizing (HyperBand paper)" : "floor bracket sizing (HpBandSter)";

    private static string FullEvaluations(double n) => n == 1 ? "1 full evaluation" : $"{Number(n)} full evaluations";

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    /// <summary>Integers without decimals, other numbers with six significant digits.</summary>
    private static string Number(double value) =>
        value == Math.Round(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);
}
