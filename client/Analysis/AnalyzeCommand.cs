using System.CommandLine;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Client.Analysis;

/// <summary>
/// <c>hpbandster analyze DIR|RUN</c>: HpBandSter's Step-5 analysis of a result (incumbent, counts, trajectory,
/// correlation across budgets, model-based vs random picks), from logs or from a run store.
/// </summary>
internal static class AnalyzeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var source = new ResultSource("analyze");
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the report." };
        var flags = new Option<string?>("--trajectory-flags")
        {
            Description = "Flags of HpBandSter's get_incumbent_trajectory, each true|false: "
                + "all_budgets=…,bigger_is_better=…,non_decreasing_budget=… (any subset; the others stay true, HpBandSter's defaults), "
                + "or three values in that order, e.g. false,true,true. all_budgets=false keeps only max-budget runs (HpBandSter itself raises NameError there).",
            HelpName = "FLAGS",
        };
        flags.Validators.Add(result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
            if (text is not null && TrajectoryFlags.TryParse(text, out var problem) is null)
            {
                result.AddError($"{flags.Name}: {problem}.");
            }
        });

        var command = new Command(
            "analyze",
            "Analyze a result as HpBandSter's Result and visualization do: incumbent and its config, counts of configurations and runs, "
            + "total budget in full evaluations, the incumbent trajectory, each budget's rank correlation with the max budget, model-based vs random picks. "
            + "Times are seconds since the first submission, budgets are those the runs used (as HpBandSter's logged_results_to_HBS_result infers them), "
            + "so a run and its exported logs give the same analysis.")
        {
            json, flags,
        };
        source.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var trajectoryFlags = parseResult.GetValue(flags) is { } text ? TrajectoryFlags.TryParse(text, out _)! : TrajectoryFlags.Default;
            var loaded = await source.LoadAsync(parseResult, stderr, cancellationToken);
            if (loaded is null)
            {
                return 1;
            }

            var result = loaded.Result;
            string heading;
            string kind;
            if (loaded.Run is { } run)
            {
                kind = "run";
                heading = $"Run {loaded.Source}: {run.State.ToString().ToLowerInvariant()}, {run.Spec.Optimizer} on {run.Spec.Objective}";
                if (run.State == RunState.Running)
                {
                    stderr.WriteLine($"note: run {loaded.Source} has not finished (it is running, or was interrupted and will resume); analyzing the {run.Result.RunCount} evaluations recorded so far{(run.Pending > 0 ? $" ({run.Pending} in flight are not)" : string.Empty)}.");
                }

                if (LoaderView.FromStoredRun(result) is not { } view)
                {
                    stderr.WriteLine($"error: run {loaded.Source} has no finished evaluation yet; there is nothing to analyze.");
                    return 1;
                }

                result = view;
            }
            else
            {
                kind = "logs";
                heading = $"HpBandSter logs in {loaded.Source}";
            }

            var analysis = new ResultAnalysis(result, trajectoryFlags);
            if (parseResult.GetValue(json))
            {
                stdout.WriteLine(AnalysisJson.Write(analysis, loaded.Source, kind));
            }
            else
            {
                AnalysisText.Write(analysis, heading, stdout);
            }

            return 0;
        });
        return command;
    }
}
