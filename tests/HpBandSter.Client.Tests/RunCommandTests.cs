using System.Text.Json;

namespace HpBandSter.Client.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public void QuickStartRunPrintsHpBandSterCountsAsJson()
    {
        var (exit, output, error) = CliRunner.Run("run", "--objective", "toy", "--optimizer", "bohb", "--min-budget", "9", "--max-budget", "243", "--iterations", "4", "--seed", "1", "--json");
        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, error);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("completed", root.GetProperty("state").GetString());
        Assert.Equal(46, root.GetProperty("configs").GetInt32());
        Assert.Equal(65, root.GetProperty("runs").GetInt32());
        Assert.Contains("\"total_budget_full_evaluations\":15.0", output);
        var incumbent = root.GetProperty("incumbent");
        Assert.Equal(243.0, incumbent.GetProperty("budget").GetDouble());
        Assert.Equal(3, incumbent.GetProperty("config_id").GetArrayLength());
        Assert.InRange(incumbent.GetProperty("config").GetProperty("x").GetDouble(), 0.0, 1.0);
    }

    [Fact]
    public void SameSeedSameIncumbent()
    {
        var a = CliRunner.Run("run", "--objective", "branin", "--iterations", "2", "--seed", "3", "--json").Output;
        var b = CliRunner.Run("run", "--objective", "branin", "--iterations", "2", "--seed", "3", "--json").Output;
        Assert.Equal(a, b);
    }

    [Fact]
    public void TextSummaryHasTheFourLinesOfHpBandSterStepFive()
    {
        var (exit, output, _) = CliRunner.Run("run", "--objective", "toy", "--iterations", "1", "--seed", "2", "--optimizer", "hyperband");
        Assert.Equal(0, exit);
        Assert.Contains("Best found configuration:", output);
        Assert.Contains("A total of 27 unique configurations were sampled.", output);
        Assert.Contains("A total of 40 runs were executed.", output);
        Assert.Contains("Total budget corresponds to 4.0 full function evaluations.", output);
    }

    [Theory]
    [InlineData("--eta", "1", "eta")]
    [InlineData("--objective", "rosenbrock", "--objective")]
    [InlineData("--iterations", "0", "iterations")]
    public void BadArgumentsGiveAMessageAndExitCodeTwo(string option, string value, string expected)
    {
        var (exit, _, error) = CliRunner.Run("run", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void OutWritesHpBandSterLogs()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hpb-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, _, _) = CliRunner.Run("run", "--objective", "toy", "--iterations", "1", "--seed", "2", "--out", dir);
            Assert.Equal(0, exit);
            Assert.Equal(27, File.ReadAllLines(Path.Combine(dir, "configs.json")).Length);
            Assert.Equal(40, File.ReadAllLines(Path.Combine(dir, "results.json")).Length);
            Assert.True(File.Exists(Path.Combine(dir, "configspace.json")));
            var (again, _, error) = CliRunner.Run("run", "--objective", "toy", "--iterations", "1", "--out", dir);
            Assert.Equal(2, again); // never overwrites an earlier run's logs
            Assert.Contains("--out", error);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
