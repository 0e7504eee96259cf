using System.Globalization;
using System.Text;
using System.Text.Json;
using HpBandSter.Results;

namespace HpBandSter.Client.Analysis;

/// <summary>
/// The <c>analyze --json</c> object. Finite numbers are written as Python's <c>repr</c> writes them (round-trip);
/// NaN (an undefined correlation) is <c>null</c>, and ±∞ (a loss) the strings <c>"Infinity"</c>/<c>"-Infinity"</c>,
/// so that the output is strict JSON (System.Text.Json reads those strings with AllowNamedFloatingPointLiterals).
/// </summary>
internal static class AnalysisJson
{
    public static string Write(ResultAnalysis analysis, string source, string sourceKind)
    {
        var result = analysis.Result;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("source", source);
            w.WriteString("source_kind", sourceKind);
            w.WritePropertyName("incumbent");
            if (analysis.Incumbent is { } incumbent)
            {
                w.WriteStartObject();
                w.WritePropertyName("config_id");
                WriteId(w, incumbent.ConfigId);
                w.WritePropertyName("config");
                WriteConfig(w, result[incumbent.ConfigId].Config);
                WriteFloat(w, "loss", incumbent.Loss ?? double.NaN);
                WriteFloat(w, "budget", incumbent.Budget);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteNumber("configs", result.ConfigCount);
            w.WriteNumber("runs", result.RunCount);
            w.WriteNumber("crashed_runs", analysis.Crashed);
            w.WriteNumber("iterations", result.NumIterations());
            WriteFloat(w, "total_budget", result.TotalBudget);
            WriteFloat(w, "total_budget_full_evaluations", result.FullEvaluations);
            WriteFloat(w, "min_budget", result.Settings.MinBudget);
            WriteFloat(w, "max_budget", result.Settings.MaxBudget);
            WriteFloats(w, "budgets", result.Settings.Budgets);
            WriteFloat(w, "eta", result.Settings.Eta ?? double.NaN);

            w.WriteStartObject("trajectory");
            w.WriteStartObject("flags");
            w.WriteBoolean(TrajectoryFlags.AllBudgetsKey, analysis.Flags.AllBudgets);
            w.WriteBoolean(TrajectoryFlags.BiggerIsBetterKey, analysis.Flags.BiggerIsBetter);
            w.WriteBoolean(TrajectoryFlags.NonDecreasingBudgetKey, analysis.Flags.NonDecreasingBudget);
            w.WriteEndObject();
            w.WriteStartArray("config_ids");
            foreach (var id in analysis.Trajectory.ConfigIds)
            {
                WriteId(w, id);
            }

            w.WriteEndArray();
            WriteFloats(w, "times_finished", analysis.Trajectory.TimesFinished);
            WriteFloats(w, "budgets", analysis.Trajectory.Budgets);
            WriteFloats(w, "losses", analysis.Trajectory.Losses);
            w.WriteEndObject();

            WriteFloat(w, "low_correlation_threshold", ResultAnalysis.LowCorrelation);
            w.WriteStartArray("correlations_with_max_budget");
            foreach (var (c, low) in analysis.WithMaxBudget)
            {
                w.WriteStartObject();
                WriteFloat(w, "budget", c.LowerBudget);
                WriteFloat(w, "max_budget", c.HigherBudget);
                w.WriteNumber("pairs", c.Count);
                WriteFloat(w, "rho", c.Rho);
                WriteFloat(w, "p_value", c.PValue);
                w.WriteBoolean("low", low);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("correlations_across_budgets");
            foreach (var c in analysis.AllCorrelations)
            {
                w.WriteStartObject();
                WriteFloat(w, "lower_budget", c.LowerBudget);
                WriteFloat(w, "higher_budget", c.HigherBudget);
                w.WriteNumber("pairs", c.Count);
                WriteFloat(w, "rho", c.Rho);
                WriteFloat(w, "p_value", c.PValue);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("picks");
            w.WriteNumber("model_based", analysis.Picks.ModelBased);
            w.WriteNumber("random", analysis.Picks.Random);
            w.WriteNumber("unknown", analysis.Picks.Unknown);
            WriteFloat(w, "best_loss_model_based", analysis.BestModelBased ?? double.NaN);
            WriteFloat(w, "best_loss_random", analysis.BestRandom ?? double.NaN);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteId(Utf8JsonWriter w, ConfigId id)
    {
        w.WriteStartArray();
        w.WriteNumberValue(id.Iteration);
        w.WriteNumberValue(id.Stage);
        w.WriteNumberValue(id.Index);
        w.WriteEndArray();
    }

    private static void WriteConfig(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, object>> config)
    {
        w.WriteStartObject();
        foreach (var (name, value) in config)
        {
            w.WritePropertyName(name);
            switch (value)
            {
                case double d:
                    WriteFloatValue(w, d);
                    break;
                case long l:
                    w.WriteNumberValue(l);
                    break;
                case bool b:
                    w.WriteBooleanValue(b);
                    break;
                default:
                    w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        w.WriteEndObject();
    }

    private static void WriteFloats(Utf8JsonWriter w, string name, IEnumerable<double> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            WriteFloatValue(w, value);
        }

        w.WriteEndArray();
    }

    private static void WriteFloat(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        WriteFloatValue(w, value);
    }

    private static void WriteFloatValue(Utf8JsonWriter w, double value)
    {
        if (double.IsNaN(value))
        {
            w.WriteNullValue();
        }
        else if (double.IsInfinity(value))
        {
            w.WriteStringValue(value > 0 ? "Infinity" : "-Infinity");
        }
        else
        {
            w.WriteRawValue(PythonFloat.Format(value));
        }
    }
}
