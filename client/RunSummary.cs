using System.Globalization;
using System.Text;
using System.Text.Json;
using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;

namespace HpBandSter.Client;

/// <summary>The end of <c>hpbandster run</c>: HpBandSter's Step-5 summary as text, or one JSON object.</summary>
internal static class RunSummary
{
    /// <summary>
    /// Writes the incumbent and HpBandSter's counts; <paramref name="problem"/> (a built-in objective, or null) adds
    /// the incumbent's true loss and the optimum.
    /// </summary>
    public static void WriteText(OptimizationResult result, RunStatus status, BenchmarkObjective? problem, TextWriter output)
    {
        if (status.State != RunState.Completed)
        {
            output.WriteLine($"Run {status.RunId} was {status.State.ToString().ToLowerInvariant()} after {result.RunCount} of {status.EvaluationsPlanned} evaluations; what it recorded:");
        }

        if (result.GetIncumbentRun() is { } incumbent)
        {
            var config = result[incumbent.ConfigId].Config;
            output.WriteLine($"Best found configuration: {config}");
            var truth = problem is null ? string.Empty : $" (true loss {Text(problem.TrueLoss(config))}, optimum {Text(problem.Optimum)})";
            output.WriteLine($"  config id {incumbent.ConfigId}, loss {Text(incumbent.Loss ?? double.NaN)} on budget {Text(incumbent.Budget)}{truth}");
        }
        else
        {
            output.WriteLine("No configuration finished on the max budget: there is no incumbent.");
            if (BestOnLargestBudget(result) is { } best)
            {
                output.WriteLine($"Best so far, on budget {Text(best.Budget)}: {result[best.ConfigId].Config} (config id {best.ConfigId}, loss {Text(best.Loss ?? double.NaN)})");
            }
        }

        output.WriteLine($"A total of {result.ConfigCount} unique configurations were sampled.");
        output.WriteLine($"A total of {result.RunCount} runs were executed.");
        output.WriteLine($"Total budget corresponds to {result.FullEvaluations.ToString("0.0", CultureInfo.InvariantCulture)} full function evaluations.");
        if (status.Crashed > 0)
        {
            output.WriteLine($"{status.Crashed} of the runs crashed.");
        }
    }

    /// <summary>The <c>--json</c> object: run id, state, incumbent, the three counts, then seed, timing and crashes.</summary>
    public static string Json(OptimizationResult result, RunStatus status)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("run_id", status.RunId);
            w.WriteString("state", status.State.ToString().ToLowerInvariant());
            w.WritePropertyName("incumbent");
            // HpBandSter's incumbent; a run cancelled before any max-budget result reports its best on the largest budget reached.
            if ((result.GetIncumbentRun() ?? BestOnLargestBudget(result)) is { } run)
            {
                w.WriteStartObject();
                w.WritePropertyName("config_id");
                w.WriteStartArray();
                w.WriteNumberValue(run.ConfigId.Iteration);
                w.WriteNumberValue(run.ConfigId.Stage);
                w.WriteNumberValue(run.ConfigId.Index);
                w.WriteEndArray();
                w.WritePropertyName("config");
                w.WriteStartObject();
                foreach (var (name, value) in result[run.ConfigId].Config)
                {
                    w.WritePropertyName(name);
                    switch (value)
                    {
                        case double d: w.WriteRawValue(PythonFloat.Format(d)); break;
                        case long l: w.WriteNumberValue(l); break;
                        case int i: w.WriteNumberValue(i); break;
                        case bool b: w.WriteBooleanValue(b); break;
                        default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                    }
                }

                w.WriteEndObject();
                WriteFloat(w, "loss", run.Loss ?? double.NaN);
                WriteFloat(w, "budget", run.Budget);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteNumber("configs", result.ConfigCount);
            w.WriteNumber("runs", result.RunCount);
            WriteFloat(w, "total_budget_full_evaluations", result.FullEvaluations);
            if (status.Spec is { } spec)
            {
                w.WriteString("objective", spec.Objective);
                w.WriteString("optimizer", spec.Optimizer);
                w.WriteNumber("seed", spec.Seed);
            }

            w.WriteNumber("evaluations_planned", status.EvaluationsPlanned);
            w.WriteNumber("crashed", status.Crashed);
            WriteFloat(w, "elapsed_seconds", Math.Round(status.ElapsedSeconds, 3));
            WriteFloat(w, "evaluations_per_second", status.ElapsedSeconds > 0 ? Math.Round(result.RunCount / status.ElapsedSeconds, 3) : 0.0);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The lowest-loss successful run on the largest budget any run succeeded on, or null.</summary>
    private static Run? BestOnLargestBudget(OptimizationResult result)
    {
        var successful = result.GetAllRuns().Where(r => !r.IsCrashed).ToList();
        if (successful.Count == 0)
        {
            return null;
        }

        var budget = successful.Max(r => r.Budget);
        return successful.Where(r => r.Budget == budget).MinBy(r => r.Loss);
    }

    private static void WriteFloat(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(PythonFloat.Format(value), skipInputValidation: !double.IsFinite(value));
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
