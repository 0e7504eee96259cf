using System.Globalization;
using HpBandSter.Spaces;

namespace HpBandSter.Client.Analysis;

/// <summary>The text report of <c>hpbandster analyze</c>.</summary>
internal static class AnalysisText
{
    public static void Write(ResultAnalysis analysis, string heading, TextWriter output)
    {
        var result = analysis.Result;
        output.WriteLine(heading);
        if (analysis.Incumbent is { } incumbent)
        {
            output.WriteLine($"Incumbent: config {incumbent.ConfigId}, loss {Py(incumbent.Loss ?? double.NaN)} on budget {Py(incumbent.Budget)}");
            foreach (var (name, value) in result[incumbent.ConfigId].Config)
            {
                output.WriteLine($"  {name} = {(value is string s ? $"'{s}'" : value is double d ? Py(d) : Configuration.FormatValue(value))}");
            }
        }
        else
        {
            output.WriteLine($"Incumbent: none (no run finished on the max budget {Py(result.Settings.MaxBudget)} with a loss).");
        }

        output.WriteLine($"Configurations: {result.ConfigCount} in {result.NumIterations()} iteration(s)");
        output.WriteLine($"Runs: {result.RunCount}{(analysis.Crashed > 0 ? $" ({analysis.Crashed} crashed)" : string.Empty)}");
        var eta = result.Settings.Eta is { } e ? $" (eta {Py(e)})" : string.Empty;
        output.WriteLine($"Budgets: {string.Join(", ", result.Settings.Budgets.Select(Py))}{eta}");
        output.WriteLine($"Total budget: {result.FullEvaluations.ToString("0.0##", CultureInfo.InvariantCulture)} full evaluations ({Py(result.TotalBudget)} / max budget {Py(result.Settings.MaxBudget)})");
        WritePicks(analysis, output);

        output.WriteLine();
        output.WriteLine($"Incumbent trajectory ({analysis.Flags}; times in seconds since the first submission):");
        if (analysis.Trajectory.Count == 0)
        {
            output.WriteLine("  (empty: no run with a loss qualifies)");
        }
        else
        {
            output.WriteLine($"  {"TIME",-12} {"BUDGET",-10} {"LOSS",-14} CONFIG ID");
            for (var i = 0; i < analysis.Trajectory.Count; i++)
            {
                var t = analysis.Trajectory;
                output.WriteLine($"  {t.TimesFinished[i].ToString("0.000", CultureInfo.InvariantCulture),-12} {Py(t.Budgets[i]),-10} {G(t.Losses[i]),-14} {t.ConfigIds[i]}");
            }
        }

        output.WriteLine();
        WriteCorrelations(analysis, output);
    }

    private static void WritePicks(ResultAnalysis analysis, TextWriter output)
    {
        var picks = analysis.Picks;
        if (picks.ModelBased == 0 && picks.Random == 0)
        {
            output.WriteLine("Picks: not recorded (no model_based_pick in the config info: random sampling, e.g. HyperBand or RandomSearch)");
            return;
        }

        var unknown = picks.Unknown > 0 ? $", {picks.Unknown} unflagged" : string.Empty;
        output.WriteLine($"Picks: {picks.ModelBased} model-based, {picks.Random} random{unknown}");
        output.WriteLine($"  best loss on the max budget: model-based {Best(analysis.BestModelBased)}, random {Best(analysis.BestRandom)}");
    }

    private static void WriteCorrelations(ResultAnalysis analysis, TextWriter output)
    {
        var max = analysis.Result.Settings.MaxBudget;
        if (analysis.WithMaxBudget.Count == 0)
        {
            output.WriteLine($"Rank correlation with the max budget: none (a single budget, {Py(max)}).");
            return;
        }

        output.WriteLine($"Rank correlation with the max budget {Py(max)} (Spearman's rho over configurations with losses on both budgets):");
        output.WriteLine($"  {"BUDGET",-10} {"PAIRS",-6} {"RHO",-8} {"P-VALUE",-10}");
        foreach (var (c, low) in analysis.WithMaxBudget)
        {
            var note = low ? "LOW" : c.Count < ResultAnalysis.MinPairsToJudge || double.IsNaN(c.Rho) ? "too few pairs to judge" : string.Empty;
            output.WriteLine($"  {Py(c.LowerBudget),-10} {c.Count,-6} {Fixed(c.Rho),-8} {Fixed(c.PValue),-10} {note}".TrimEnd());
        }

        var lows = analysis.WithMaxBudget.Where(c => c.Low).Select(c => Py(c.Correlation.LowerBudget)).ToArray();
        if (lows.Length > 0)
        {
            output.WriteLine();
            output.WriteLine($"Warning: budget{(lows.Length > 1 ? "s" : string.Empty)} {string.Join(", ", lows)} rank{(lows.Length > 1 ? string.Empty : "s")} configurations differently from the max budget (rho < {Py(ResultAnalysis.LowCorrelation)}).");
            output.WriteLine("  Successive halving then discards configurations on evidence that does not predict their final loss.");
            output.WriteLine("  HpBandSter's best practice: pick budgets on which good configurations already look good. Raise --min-budget");
            output.WriteLine("  (dropping the poorly correlated budgets), or use a budget (epochs, data subset) that tracks the final loss better.");
        }
    }

    private static string Best(double? loss) => loss is { } l ? Py(l) : "-";

    private static string Py(double value) => PythonFloat.Format(value);

    private static string G(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Fixed(double value) => double.IsNaN(value) ? "-" : value.ToString("0.000", CultureInfo.InvariantCulture);
}
