using System.Text.Json.Nodes;
using HpBandSter.Logs;
using HpBandSter.Results;

namespace HpBandSter.Client.Tests.Analysis;

/// <summary><c>hpbandster analyze</c> on logs in HpBandSter's own format, checked against Core's Result and by hand.</summary>
public sealed class AnalyzeCommandTests
{
    [Fact]
    public void Json_holds_the_issue_fields_with_the_values_of_Cores_result()
    {
        var (exit, output, error) = CliRunner.Run("analyze", AnalysisData.BohbRun, "--json");
        Assert.True(exit == 0, error);
        Assert.Equal(string.Empty, error);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = JsonNode.Parse(output)!.AsObject();
        var result = HpBandSterLogReader.Read(AnalysisData.BohbRun).Result;

        // By hand (generate.py): the lowest loss on budget 9 is [1, 0, 3]'s 0.05.
        var incumbent = json["incumbent"]!;
        Assert.Equal(new ConfigId(1, 0, 3), AnalysisData.Id(incumbent["config_id"]));
        Assert.Equal(0.05, AnalysisData.Number(incumbent["loss"]));
        Assert.Equal(9.0, AnalysisData.Number(incumbent["budget"]));
        var config = incumbent["config"]!.AsObject();
        Assert.Equal(["lr", "num_layers", "optimizer", "sgd_momentum"], config.Select(p => p.Key).ToArray());
        Assert.Equal(0.03, (double)config["lr"]!);
        Assert.Equal(2, (long)config["num_layers"]!);
        Assert.Equal("SGD", (string?)config["optimizer"]);
        Assert.Equal(0.8, (double)config["sgd_momentum"]!);
        Assert.Equal(result.GetIncumbentId(), AnalysisData.Id(incumbent["config_id"]));
        Assert.Equal(result.GetIncumbentRun()!.Loss, AnalysisData.Number(incumbent["loss"]));

        Assert.Equal(13, (int)json["configs"]!);
        Assert.Equal(21, (int)json["runs"]!);
        Assert.Equal(3, (int)json["crashed_runs"]!);
        Assert.Equal(2, (int)json["iterations"]!);
        Assert.Equal(result.ConfigCount, (int)json["configs"]!);
        Assert.Equal(result.RunCount, (int)json["runs"]!);
        Assert.Equal(75.0 / 9.0, AnalysisData.Number(json["total_budget_full_evaluations"]));
        Assert.Equal(result.FullEvaluations, AnalysisData.Number(json["total_budget_full_evaluations"]));
        Assert.Equal([1.0, 3.0, 9.0], AnalysisData.Numbers(json["budgets"]));
        Assert.Equal(3.0, AnalysisData.Number(json["eta"]));

        var trajectory = json["trajectory"]!;
        var expected = result.GetIncumbentTrajectory();
        AssertTrajectory(expected, trajectory);
        Assert.Equal(
            [new(0, 0, 0), new(0, 0, 1), new(0, 0, 2), new(0, 0, 6), new(0, 0, 6), new(0, 0, 2), new(0, 0, 2), new(1, 0, 0), new(1, 0, 3)],
            trajectory["config_ids"]!.AsArray().Select(AnalysisData.Id).ToArray());
        Assert.Equal(1.2504, AnalysisData.Numbers(trajectory["times_finished"])[0], 6); // relative to the first submission
        Assert.True((bool)trajectory["flags"]!["all_budgets"]! && (bool)trajectory["flags"]!["bigger_is_better"]! && (bool)trajectory["flags"]!["non_decreasing_budget"]!);

        // Budget 3 ranks the four configurations with losses on 3 and 9 exactly the other way round.
        var withMax = json["correlations_with_max_budget"]!.AsArray();
        Assert.Equal(2, withMax.Count);
        Assert.Equal(3.0, AnalysisData.Number(withMax[1]!["budget"]));
        Assert.Equal(4, (int)withMax[1]!["pairs"]!);
        Assert.Equal(-1.0, AnalysisData.Number(withMax[1]!["rho"]), 12);
        Assert.True((bool)withMax[1]!["low"]!);
        Assert.Equal(1, (int)withMax[0]!["pairs"]!);
        Assert.Null(withMax[0]!["rho"]); // one pair: undefined
        Assert.False((bool)withMax[0]!["low"]!);
        var all = json["correlations_across_budgets"]!.AsArray();
        var core = result.GetCorrelationAcrossBudgets();
        Assert.Equal(core.Count, all.Count);
        for (var i = 0; i < core.Count; i++)
        {
            Assert.Equal(core[i].LowerBudget, AnalysisData.Number(all[i]!["lower_budget"]));
            Assert.Equal(core[i].HigherBudget, AnalysisData.Number(all[i]!["higher_budget"]));
            Assert.Equal(core[i].Count, (int)all[i]!["pairs"]!);
            Assert.Equal(core[i].Rho, AnalysisData.Number(all[i]!["rho"]));
            Assert.Equal(core[i].PValue, AnalysisData.Number(all[i]!["p_value"]));
        }

        var picks = json["picks"]!;
        Assert.Equal(3, (int)picks["model_based"]!);
        Assert.Equal(10, (int)picks["random"]!);
        Assert.Equal(0, (int)picks["unknown"]!);
        Assert.Equal(result.CountPicks(), new PickCounts((int)picks["model_based"]!, (int)picks["random"]!, (int)picks["unknown"]!));
        Assert.Equal(0.05, AnalysisData.Number(picks["best_loss_model_based"]));
        Assert.Equal(0.08, AnalysisData.Number(picks["best_loss_random"]));
    }

    [Theory]
    [InlineData("all_budgets=false", false, true, true)]
    [InlineData("non_decreasing_budget=false", true, true, false)]
    [InlineData("bigger_is_better=false,non_decreasing_budget=false", true, false, false)]
    [InlineData("true,false,true", true, false, true)]
    [InlineData(" non_decreasing_budget = FALSE ", true, true, false)]
    public void Trajectory_flags_select_Cores_trajectory(string flags, bool allBudgets, bool biggerIsBetter, bool nonDecreasing)
    {
        var (exit, output, error) = CliRunner.Run("analyze", AnalysisData.BohbRun, "--json", "--trajectory-flags", flags);
        Assert.True(exit == 0, error);
        var trajectory = JsonNode.Parse(output)!["trajectory"]!;
        var expected = HpBandSterLogReader.Read(AnalysisData.BohbRun).Result.GetIncumbentTrajectory(allBudgets, biggerIsBetter, nonDecreasing);
        AssertTrajectory(expected, trajectory);
        Assert.Equal(allBudgets, (bool)trajectory["flags"]!["all_budgets"]!);
        Assert.Equal(biggerIsBetter, (bool)trajectory["flags"]!["bigger_is_better"]!);
        Assert.Equal(nonDecreasing, (bool)trajectory["flags"]!["non_decreasing_budget"]!);
    }

    [Fact]
    public void The_flags_change_the_trajectory_as_HpBandSter_defines_them()
    {
        static ConfigId[] Ids(string flags)
        {
            var (exit, output, error) = CliRunner.Run("analyze", AnalysisData.BohbRun, "--json", "--trajectory-flags", flags);
            Assert.True(exit == 0, error);
            return JsonNode.Parse(output)!["trajectory"]!["config_ids"]!.AsArray().Select(AnalysisData.Id).ToArray();
        }

        // Only max-budget runs: [0,0,2] (0.08), [1,0,0] (0.06), [1,0,3] (0.05).
        Assert.Equal([new(0, 0, 2), new(1, 0, 0), new(1, 0, 3)], Ids("all_budgets=false"));

        // Without non_decreasing_budget, [1,0,1]'s 0.07 on budget 3 beats 0.08 on budget 9; then [1,0,0] on the larger budget 9 takes over again.
        var free = Ids("non_decreasing_budget=false");
        Assert.Contains(new ConfigId(1, 0, 1), free);
        Assert.DoesNotContain(new ConfigId(1, 0, 1), Ids("all_budgets=true"));
    }

    [Fact]
    public void Text_report_names_the_incumbent_the_counts_and_flags_the_low_correlation()
    {
        var (exit, output, error) = CliRunner.Run("analyze", AnalysisData.BohbRun);
        Assert.True(exit == 0, error);
        Assert.Contains("Incumbent: config [1, 0, 3], loss 0.05 on budget 9.0", output, StringComparison.Ordinal);
        Assert.Contains("  optimizer = 'SGD'", output, StringComparison.Ordinal);
        Assert.Contains("Configurations: 13 in 2 iteration(s)", output, StringComparison.Ordinal);
        Assert.Contains("Runs: 21 (3 crashed)", output, StringComparison.Ordinal);
        Assert.Contains("Total budget: 8.333 full evaluations (75.0 / max budget 9.0)", output, StringComparison.Ordinal);
        Assert.Contains("Picks: 3 model-based, 10 random", output, StringComparison.Ordinal);
        Assert.Contains("all_budgets=true,bigger_is_better=true,non_decreasing_budget=true", output, StringComparison.Ordinal);
        Assert.Contains("[1, 0, 3]", output.Split("Incumbent trajectory")[1], StringComparison.Ordinal);
        Assert.Matches(@"\n  3\.0 +4 +-1\.000 .* LOW\n", output);
        Assert.Contains("Warning: budget 3.0 ranks configurations differently from the max budget", output, StringComparison.Ordinal);
        Assert.Contains("Raise --min-budget", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_logs_with_two_element_config_lines_and_crashes_are_analyzed()
    {
        var (exit, output, error) = CliRunner.Run("analyze", AnalysisData.LegacyRun, "--json");
        Assert.True(exit == 0, error);
        var json = JsonNode.Parse(output)!;
        var result = HpBandSterLogReader.Read(AnalysisData.LegacyRun).Result;
        Assert.Equal(new ConfigId(0, 0, 1), AnalysisData.Id(json["incumbent"]!["config_id"]));
        Assert.Equal(0.35, AnalysisData.Number(json["incumbent"]!["loss"]));
        Assert.Equal(3, (int)json["configs"]!);
        Assert.Equal(4, (int)json["runs"]!);
        Assert.Equal(1, (int)json["crashed_runs"]!);
        Assert.Equal(3, (int)json["picks"]!["unknown"]!); // no config_info: neither model-based nor random
        Assert.Null(json["picks"]!["best_loss_random"]);
        AssertTrajectory(result.GetIncumbentTrajectory(), json["trajectory"]!);

        // Times are relative to the first submission (1544191887.3152575), as logged_results_to_HBS_result makes them.
        Assert.Equal(1544192253.4073746 - 1544191887.3152575, AnalysisData.Numbers(json["trajectory"]!["times_finished"])[0]);

        var (textExit, text, _) = CliRunner.Run("analyze", AnalysisData.LegacyRun);
        Assert.Equal(0, textExit);
        Assert.Contains("Picks: not recorded", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_for_a_missing_configuration_is_an_error_naming_the_line()
    {
        foreach (var verb in new[] { "analyze", "export" })
        {
            using var target = new TempDirectory();
            var args = verb == "analyze" ? new[] { verb, AnalysisData.MissingConfig } : [verb, AnalysisData.MissingConfig, "--out", target.Path];
            var (exit, output, error) = CliRunner.Run(args);
            Assert.Equal(1, exit);
            Assert.Equal(string.Empty, output);
            Assert.Contains("results.json, line 3", error, StringComparison.Ordinal);
            Assert.Contains("configuration [0, 0, 7]", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // a message, not a stack trace
            Assert.False(Directory.Exists(target.Path), "nothing is written from unreadable logs");
        }
    }

    [Fact]
    public void A_cut_short_last_line_is_a_warning_and_the_rest_is_analyzed()
    {
        using var logs = new TempDirectory();
        AnalysisData.CopyTo(AnalysisData.LegacyRun, logs.Path);
        File.AppendAllText(logs.File("results.json"), "[[0, 0, 2], 3.0, {\"submitted\": 1544192290.0, \"star");
        var (exit, output, error) = CliRunner.Run("analyze", logs.Path, "--json");
        Assert.Equal(0, exit);
        Assert.Contains("warning:", error, StringComparison.Ordinal);
        Assert.Contains("line 5", error, StringComparison.Ordinal);
        Assert.Equal(4, (int)JsonNode.Parse(output)!["runs"]!);
    }

    internal static void AssertTrajectory(IncumbentTrajectory expected, JsonNode trajectory)
    {
        Assert.Equal(expected.ConfigIds, trajectory["config_ids"]!.AsArray().Select(AnalysisData.Id).ToArray());
        Assert.Equal(expected.TimesFinished, AnalysisData.Numbers(trajectory["times_finished"]));
        Assert.Equal(expected.Budgets, AnalysisData.Numbers(trajectory["budgets"]));
        Assert.Equal(expected.Losses, AnalysisData.Numbers(trajectory["losses"]));
        Assert.True(expected.Count > 0);
    }
}
