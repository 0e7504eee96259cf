using System.Text.Json;
using System.Text.RegularExpressions;

namespace HpBandSter.Client.Tests;

/// <summary>
/// <c>hpbandster run</c> on a silo embedded in the test process (each test starts one). The three counts of
/// HpBandSter's summary follow from the bracket schedule, so they hold for any number of workers.
/// </summary>
public sealed class RunCommandTests
{
    [Fact]
    public void ReadmeExamplePrintsOneJsonObjectWithHpBandSterCountsAndWritesTheLogs()
    {
        using var data = new TempDirectory();
        using var logs = new TempDirectory();
        var (exit, output, error) = CliRunner.Run(
            "run", "--objective", "toy", "--optimizer", "bohb", "--min-budget", "9", "--max-budget", "243", "--iterations", "4", "--seed", "1",
            "--json", "--run-id", "readme-example", "--data-dir", data.Path, "--out", logs.Path);
        Assert.True(exit == 0, $"exit {exit}; stderr: {error}");
        Assert.Equal(string.Empty, error); // no progress with --json, and no Orleans log lines
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("readme-example", root.GetProperty("run_id").GetString());
        Assert.Equal("completed", root.GetProperty("state").GetString());
        Assert.Equal(46, root.GetProperty("configs").GetInt32());
        Assert.Equal(65, root.GetProperty("runs").GetInt32());
        Assert.Contains("\"total_budget_full_evaluations\":15.0", output);
        Assert.Equal(1, root.GetProperty("seed").GetInt64());
        var incumbent = root.GetProperty("incumbent");
        Assert.Equal(243.0, incumbent.GetProperty("budget").GetDouble());
        Assert.Equal(3, incumbent.GetProperty("config_id").GetArrayLength());
        Assert.InRange(incumbent.GetProperty("config").GetProperty("x").GetDouble(), 0.0, 1.0);

        Assert.Equal(46, File.ReadAllLines(logs.File("configs.json")).Length);
        Assert.Equal(65, File.ReadAllLines(logs.File("results.json")).Length);
        Assert.Contains("\"x\"", File.ReadAllText(logs.File("configspace.json")));

        // Never overwrites an earlier run's logs, and says so before starting anything.
        var (again, againOutput, againError) = CliRunner.Run("run", "--iterations", "1", "--data-dir", data.Path, "--out", logs.Path);
        Assert.Equal(2, again);
        Assert.Equal(string.Empty, againOutput);
        Assert.Contains("--out", againError);
        Assert.Equal(46, File.ReadAllLines(logs.File("configs.json")).Length);
    }

    [Fact]
    public void TextRunPrintsRunIdProgressAndTheFourLinesOfHpBandSterStepFive()
    {
        using var data = new TempDirectory();
        var (exit, output, error) = CliRunner.Run(
            "run", "--objective", "toy", "--optimizer", "hyperband", "--iterations", "1", "--seed", "2", "--workers", "2", "--sleep", "0.01", "--data-dir", data.Path);
        Assert.True(exit == 0, $"exit {exit}; stderr: {error}");
        Assert.Matches(new Regex(@"^run toy-hyperband-\d{8}-\d{6}-[0-9a-f]{4}: hyperband on toy, budgets 9, 27, 81, 243, 1 iterations, seed 2; embedded silo, 2 slots\n"), output);
        Assert.Contains("Best found configuration:", output);
        Assert.Contains("A total of 27 unique configurations were sampled.", output);
        Assert.Contains("A total of 40 runs were executed.", output);
        Assert.Contains("Total budget corresponds to 4.0 full function evaluations.", output);

        // Not a terminal: plain progress lines, the last one final; no carriage returns, nothing from Orleans.
        Assert.DoesNotContain('\r', error);
        Assert.DoesNotContain('\r', output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.StartsWith("iterations ", line));
        Assert.Contains("evaluations 40/40, 0 running, 0 queued", lines[^1]);
        Assert.EndsWith("| completed", lines[^1]);
    }
}
