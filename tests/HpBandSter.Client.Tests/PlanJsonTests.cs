using System.Text.Json;

namespace HpBandSter.Client.Tests;

public sealed class PlanJsonTests
{
    private static JsonElement RunJson(params string[] args)
    {
        var (exitCode, output, error) = CliRunner.Run(["plan", .. args, "--json"]);
        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        Assert.Single(output.TrimEnd('\n').Split('\n')); // exactly one JSON document on one line
        return JsonDocument.Parse(output).RootElement;
    }

    [Fact]
    public void Min9Max243FourIterationsGivesHpBandSterBracketsAndTotals()
    {
        var root = RunJson("--min-budget", "9", "--max-budget", "243", "--eta", "3", "--iterations", "4");

        Assert.Equal([9.0, 27, 81, 243], root.GetProperty("budgets").EnumerateArray().Select(b => b.GetDouble()));
        var iterations = root.GetProperty("iterations").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], iterations.Select(i => i.GetProperty("iteration").GetInt32()));
        Assert.Equal(
            ["27,9,3,1", "9,3,1", "6,2", "4"],
            iterations.Select(i => string.Join(",", i.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("configs").GetInt32()))));
        Assert.Equal(
            ["9,27,81,243", "27,81,243", "81,243", "243"],
            iterations.Select(i => string.Join(",", i.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("budget").GetDouble()))));
        Assert.Equal([972.0, 729, 972, 972], iterations.Select(i => i.GetProperty("total_budget").GetDouble()));
        Assert.Equal(3645.0, root.GetProperty("total_budget").GetDouble());
        Assert.Equal(15.0, root.GetProperty("total_budget_full_evaluations").GetDouble());
        Assert.Equal("bohb", root.GetProperty("optimizer").GetString());
        Assert.Equal(4, root.GetProperty("max_sh_iterations").GetInt32());
    }

    [Fact]
    public void BudgetsAreWrittenAsFloats()
    {
        var (_, output, _) = CliRunner.Run("plan", "--min-budget", "9", "--max-budget", "243", "--iterations", "4", "--json");

        Assert.Contains("\"budgets\":[9.0,27.0,81.0,243.0]", output);
        Assert.Contains("{\"configs\":27,\"budget\":9.0}", output);
        Assert.Contains("\"total_budget\":3645.0,\"total_budget_full_evaluations\":15.0", output);
        Assert.Contains("\"min_budget\":9.0,\"max_budget\":243.0,\"eta\":3.0", output);
    }

    [Fact]
    public void FractionalBudgetsRoundTrip()
    {
        var (_, output, _) = CliRunner.Run("plan", "--min-budget", "1", "--max-budget", "10", "--json");

        Assert.Contains("\"budgets\":[1.1111111111111112,3.333333333333333,10.0]", output);
    }

    [Fact]
    public void DefaultsAreBohbEta3OneIterationFloorSizing()
    {
        var root = RunJson("--min-budget", "0.01", "--max-budget", "1");

        Assert.Equal("bohb", root.GetProperty("optimizer").GetString());
        Assert.Equal(3.0, root.GetProperty("eta").GetDouble());
        Assert.Equal("floor", root.GetProperty("sizing").GetString());
        var only = Assert.Single(root.GetProperty("iterations").EnumerateArray());
        Assert.Equal([81, 27, 9, 3, 1], only.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("configs").GetInt32()));
    }

    [Fact]
    public void CeilSizingGivesThePapersBrackets()
    {
        var root = RunJson("--min-budget", "0.01", "--max-budget", "1", "--iterations", "5", "--sizing", "ceil");

        Assert.Equal(
            [81, 34, 15, 8, 5],
            root.GetProperty("iterations").EnumerateArray().Select(i => i.GetProperty("stages")[0].GetProperty("configs").GetInt32()));
    }

    [Fact]
    public void RandomSearchRunsAtMaxBudget()
    {
        var root = RunJson("--min-budget", "1", "--max-budget", "27", "--optimizer", "randomsearch", "--iterations", "2");

        Assert.Equal([27.0], root.GetProperty("budgets").EnumerateArray().Select(b => b.GetDouble()));
        Assert.All(root.GetProperty("iterations").EnumerateArray(), i =>
        {
            var stage = Assert.Single(i.GetProperty("stages").EnumerateArray());
            Assert.Equal(4, stage.GetProperty("configs").GetInt32());
            Assert.Equal(27.0, stage.GetProperty("budget").GetDouble());
        });
        Assert.Equal(8.0, root.GetProperty("total_budget_full_evaluations").GetDouble());
    }

    [Fact]
    public void H2boSaysItAssumesNoModel()
    {
        var root = RunJson("--min-budget", "9", "--max-budget", "243", "--optimizer", "h2bo");

        Assert.True(root.GetProperty("assumes_no_model").GetBoolean());
        Assert.Equal([27, 9, 3, 1], root.GetProperty("iterations")[0].GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("configs").GetInt32()));
    }

    [Fact]
    public void MinEqualsMaxIsOneConfigurationPerIteration()
    {
        var root = RunJson("--min-budget", "5", "--max-budget", "5", "--iterations", "3");

        Assert.All(root.GetProperty("iterations").EnumerateArray(), i => Assert.Equal(1, Assert.Single(i.GetProperty("stages").EnumerateArray()).GetProperty("configs").GetInt32()));
        Assert.Equal(3.0, root.GetProperty("total_budget_full_evaluations").GetDouble());
    }
}
