using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HpBandSter.Logs;
using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Results;

namespace HpBandSter.Client;

/// <summary>
/// <c>hpbandster run</c>: runs an optimization on a built-in objective and prints HpBandSter's summary
/// (incumbent, number of configurations and runs, total budget in full evaluations).
/// </summary>
/// <remarks>Today it runs in this process, one evaluation at a time; the Orleans cluster runtime replaces that.</remarks>
internal static class RunCommand
{
    private static readonly string[] Optimizers = ["bohb", "hyperband", "randomsearch", "h2bo"];

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var objective = new Option<string>("--objective")
        {
            Description = "Built-in objective: toy, branin, hartmann6 or countingones.",
            DefaultValueFactory = _ => "toy",
        };
        objective.AcceptOnlyFromAmong([.. BenchmarkObjectives.All.Select(o => o.Name)]);
        var optimizer = new Option<string>("--optimizer") { Description = "bohb, hyperband, randomsearch or h2bo.", DefaultValueFactory = _ => "bohb" };
        optimizer.AcceptOnlyFromAmong(Optimizers);
        var minBudget = new Option<double?>("--min-budget") { Description = "Smallest budget (default: the objective's, 9 for toy)." };
        var maxBudget = new Option<double?>("--max-budget") { Description = "Largest budget (default: the objective's, 243 for toy)." };
        var eta = new Option<double>("--eta") { Description = "Reduction factor between stages (at least 2).", DefaultValueFactory = _ => 3.0 };
        var iterations = new Option<int>("--iterations") { Description = "Iterations (brackets) to run, HpBandSter's n_iterations.", DefaultValueFactory = _ => 4 };
        var seed = new Option<long?>("--seed") { Description = "Seed of the run's random source (default: drawn and printed). Same seed, same run." };
        var output = new Option<string?>("--out") { Description = "Directory to write HpBandSter's configs.json, results.json and configspace.json to while running." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the summary instead of text." };

        var command = new Command("run", "Run an optimization on a built-in objective and print the incumbent and HpBandSter's summary counts.")
        {
            objective, optimizer, minBudget, maxBudget, eta, iterations, seed, output, json,
        };

        command.SetAction(parseResult =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var problem = BenchmarkObjectives.Get(parseResult.GetValue(objective)!);
            var kind = parseResult.GetValue(optimizer) switch
            {
                "hyperband" => OptimizerKind.HyperBand,
                "randomsearch" => OptimizerKind.RandomSearch,
                "h2bo" => OptimizerKind.H2bo,
                _ => OptimizerKind.Bohb,
            };
            var runSeed = parseResult.GetValue(seed) ?? Random.Shared.NextInt64(1, int.MaxValue);
            var settings = new OptimizerSettings(
                kind,
                parseResult.GetValue(minBudget) ?? (kind == OptimizerKind.RandomSearch ? problem.MaxBudget : problem.MinBudget),
                parseResult.GetValue(maxBudget) ?? problem.MaxBudget,
                parseResult.GetValue(iterations),
                parseResult.GetValue(eta));
            Optimizer opt;
            try
            {
                opt = new Optimizer(settings, problem.Space, runSeed);
            }
            catch (ArgumentException ex)
            {
                return Cli.ReportUsageError(command, stderr, Cli.MessageWithoutParameter(ex));
            }

            HpBandSterLogWriter? writer = null;
            try
            {
                if (parseResult.GetValue(output) is { } dir)
                {
                    writer = new HpBandSterLogWriter(dir);
                    writer.WriteConfigSpace(problem.Space.ToJson());
                }
            }
            catch (IOException ex)
            {
                return Cli.ReportUsageError(command, stderr, $"--out: {ex.Message}");
            }

            var runId = $"{problem.Name}-{kind.ToString().ToLowerInvariant()}-{runSeed}";
            if (!parseResult.GetValue(json))
            {
                stdout.WriteLine($"run {runId}: {kind} on {problem.Name}, budgets {string.Join(", ", opt.Schedule.Budgets.Select(Text))}, {settings.Iterations} iterations, seed {runSeed}");
            }

            using (writer)
            {
                var result = SequentialRunner.Run(
                    opt,
                    job =>
                    {
                        var evaluation = problem.Evaluate(job.Config, job.Budget, BenchmarkObjective.NoiseSource(runSeed, job.Id, job.Budget));
                        return JobOutcome.Success(evaluation.Loss, evaluation.Info);
                    },
                    onFinished: (job, run) =>
                    {
                        if (writer is not null)
                        {
                            if (job.IsNewConfig)
                            {
                                writer.LogConfig(new ConfigRecord(job.Id, job.Config, job.ConfigInfo));
                            }

                            writer.LogResult(run);
                        }
                    });

                if (parseResult.GetValue(json))
                {
                    stdout.WriteLine(SummaryJson(runId, result));
                }
                else
                {
                    WriteSummary(result, problem, stdout);
                }
            }

            return 0;
        });
        return command;
    }

    private static void WriteSummary(OptimizationResult result, BenchmarkObjective problem, TextWriter output)
    {
        if (result.GetIncumbentRun() is { } incumbent)
        {
            var config = result[incumbent.ConfigId].Config;
            output.WriteLine($"Best found configuration: {config}");
            output.WriteLine($"  config id {incumbent.ConfigId}, loss {Text(incumbent.Loss ?? double.NaN)} on budget {Text(incumbent.Budget)} (true loss {Text(problem.TrueLoss(config))}, optimum {Text(problem.Optimum)})");
        }
        else
        {
            output.WriteLine("No configuration finished on the max budget: there is no incumbent.");
        }

        output.WriteLine($"A total of {result.ConfigCount} unique configurations were sampled.");
        output.WriteLine($"A total of {result.RunCount} runs were executed.");
        output.WriteLine($"Total budget corresponds to {result.FullEvaluations.ToString("0.0", CultureInfo.InvariantCulture)} full function evaluations.");
    }

    private static string SummaryJson(string runId, OptimizationResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("run_id", runId);
            w.WriteString("state", "completed");
            w.WritePropertyName("incumbent");
            if (result.GetIncumbentRun() is { } run)
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
                        case bool b: w.WriteBooleanValue(b); break;
                        default: w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                    }
                }

                w.WriteEndObject();
                w.WritePropertyName("loss");
                w.WriteRawValue(PythonFloat.Format(run.Loss ?? double.NaN));
                w.WritePropertyName("budget");
                w.WriteRawValue(PythonFloat.Format(run.Budget));
                w.WriteEndObject();
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteNumber("configs", result.ConfigCount);
            w.WriteNumber("runs", result.RunCount);
            w.WritePropertyName("total_budget_full_evaluations");
            w.WriteRawValue(PythonFloat.Format(result.FullEvaluations));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
