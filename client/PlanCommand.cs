using System.CommandLine;
using System.Globalization;
using HpBandSter.Scheduling;

namespace HpBandSter.Client;

/// <summary><c>hpbandster plan</c>: prints the brackets a run would evaluate, and their total budget.</summary>
internal static class PlanCommand
{
    private static readonly string[] Optimizers = ["bohb", "hyperband", "randomsearch", "h2bo"];

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var minBudget = new Option<double>("--min-budget")
        {
            Description = "Smallest budget to consider (HpBandSter's min_budget; positive). Budgets are max-budget / eta^k, so the smallest can be larger.",
            Required = true,
        };
        var maxBudget = new Option<double>("--max-budget")
        {
            Description = "Largest budget (max_budget; at least --min-budget). Equal to --min-budget means a single stage: BO without fidelities.",
            Required = true,
        };
        var eta = new Option<double>("--eta")
        {
            Description = "Reduction factor between stages: 1/eta of the configurations advance to an eta times larger budget (at least 2).",
            DefaultValueFactory = _ => 3.0,
        };
        var iterations = new Option<int>("--iterations")
        {
            Description = "Number of iterations (brackets) to plan, as HpBandSter's run(n_iterations); a full HyperBand cycle has one per budget.",
            DefaultValueFactory = _ => 1,
        };
        var optimizer = new Option<string>("--optimizer")
        {
            Description = "Whose brackets: bohb and hyperband cycle through HyperBand's brackets; randomsearch runs one stage at max-budget; "
                + "h2bo runs one most aggressive bracket (planned as if no model existed yet).",
            DefaultValueFactory = _ => "bohb",
        };
        optimizer.AcceptOnlyFromAmong(Optimizers);
        var sizing = new Option<string>("--sizing")
        {
            Description = "First-stage size of bohb/hyperband brackets: floor is HpBandSter's (n0 = floor(m/(s+1)) * eta^s), "
                + "ceil is the HyperBand paper's (n0 = ceil(m * eta^s / (s+1))).",
            DefaultValueFactory = _ => "floor",
        };
        sizing.AcceptOnlyFromAmong("floor", "ceil");
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object instead of tables.",
        };

        minBudget.Validators.Add(result => RequirePositive(result, minBudget.Name));
        maxBudget.Validators.Add(result => RequirePositive(result, maxBudget.Name));
        eta.Validators.Add(result =>
        {
            if (TryGetValue(result, out double value) && (!double.IsFinite(value) || value < 2))
            {
                result.AddError($"{eta.Name} must be a number of at least 2 (got {Text(value)}); HpBandSter's default is 3.");
            }
        });
        iterations.Validators.Add(result =>
        {
            if (TryGetValue(result, out int value) && value < 1)
            {
                result.AddError($"{iterations.Name} must be at least 1 (got {value}).");
            }
        });

        var command = new Command("plan", "Show the iterations a run would schedule: configurations and budget per stage, and the total budget.")
        {
            minBudget, maxBudget, eta, iterations, optimizer, sizing, json,
        };

        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var min = parseResult.GetValue(minBudget);
            var max = parseResult.GetValue(maxBudget);
            var name = parseResult.GetValue(optimizer)!;
            var sizingName = parseResult.GetValue(sizing)!;
            if (min > max)
            {
                return Cli.ReportUsageError(command, error,
                    $"{minBudget.Name} ({Text(min)}) must not exceed {maxBudget.Name} ({Text(max)}); swap them, or give both the same value for a single stage.");
            }

            var scheme = name switch
            {
                "randomsearch" => BracketScheme.RandomSearch,
                "h2bo" => BracketScheme.H2bo,
                _ => BracketScheme.HyperBand,
            };
            if (scheme != BracketScheme.HyperBand && parseResult.GetResult(sizing) is { Implicit: false })
            {
                return Cli.ReportUsageError(command, error, $"{sizing.Name} applies to bohb and hyperband only; {name}'s bracket sizes do not depend on it.");
            }

            SchedulePlan plan;
            try
            {
                var schedule = new HyperbandSchedule(min, max, parseResult.GetValue(eta), sizingName == "ceil" ? BracketSizing.Ceil : BracketSizing.Floor);
                plan = SchedulePlanner.Plan(schedule, scheme, parseResult.GetValue(iterations));
            }
            catch (ArgumentException ex)
            {
                // Only the ratio limits are left after the option validators; name the option as the user typed it.
                var option = ex.ParamName switch
                {
                    "maxBudget" => maxBudget.Name,
                    "eta" => eta.Name,
                    "iterations" => iterations.Name,
                    _ => minBudget.Name,
                };
                return Cli.ReportUsageError(command, error, $"{option}: {Cli.MessageWithoutParameter(ex)}");
            }

            if (parseResult.GetValue(json))
            {
                output.WriteLine(PlanJson.Write(plan, name));
            }
            else
            {
                PlanText.Write(plan, name, output);
            }

            return 0;
        });
        return command;
    }

    private static void RequirePositive(System.CommandLine.Parsing.OptionResult result, string option)
    {
        if (TryGetValue(result, out double value) && (!double.IsFinite(value) || value <= 0))
        {
            result.AddError($"{option} must be a positive number (got {Text(value)}).");
        }
    }

    /// <summary>The option's value, or false when it did not convert (System.CommandLine reports that error itself).</summary>
    private static bool TryGetValue<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
