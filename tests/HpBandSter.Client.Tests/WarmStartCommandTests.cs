using System.Text.Json;
using HpBandSter.Logs;

namespace HpBandSter.Client.Tests;

/// <summary><c>run --warm-start</c> (HpBandSter's <c>previous_result</c>) and <c>run --min-workers</c> (<c>min_n_workers</c>).</summary>
public sealed class WarmStartCommandTests
{
    [Fact]
    public void A_run_warm_started_from_logs_or_from_a_stored_run_keeps_the_earlier_results_as_iteration_minus_one_in_its_logs()
    {
        using var data = new TempDirectory();
        using var first = new TempDirectory();
        var (exit, _, error) = CliRunner.Run(
            "run", "--optimizer", "hyperband", "--iterations", "1", "--seed", "4", "--run-id", "earlier", "--data-dir", data.Path, "--out", first.Path, "--json");
        Assert.True(exit == 0, $"exit {exit}; stderr: {error}");
        var earlier = HpBandSterLogReader.Read(first.Path).Result;

        foreach (var source in new[] { first.Path, "earlier" })
        {
            using var logs = new TempDirectory();
            var runId = source == "earlier" ? "warm-from-store" : "warm-from-logs";
            var (warmExit, output, warmError) = CliRunner.Run(
                "run", "--optimizer", "bohb", "--iterations", "1", "--seed", "5", "--run-id", runId, "--data-dir", data.Path,
                "--warm-start", source, "--out", logs.Path, "--json");
            Assert.True(warmExit == 0, $"exit {warmExit}; stderr: {warmError}");
            using var summary = JsonDocument.Parse(output);
            Assert.Equal("completed", summary.RootElement.GetProperty("state").GetString());

            var result = HpBandSterLogReader.Read(logs.Path).Result;
            var warm = result.Configs.Where(c => c.Id.Iteration == -1).ToList();
            Assert.Equal(earlier.ConfigCount, warm.Count);
            Assert.Equal(earlier.Configs.Select(c => c.Config), warm.Select(c => c.Config));
            Assert.Equal(earlier.RunCount, result.GetAllRuns().Count(r => r.ConfigId.Iteration == -1));
            Assert.Equal(
                earlier.GetAllRuns().Select(r => (r.Budget, r.Loss)).Order(),
                result.GetAllRuns().Where(r => r.ConfigId.Iteration == -1).Select(r => (r.Budget, r.Loss)).Order());
            Assert.True(result.GetAllRuns().Count(r => r.ConfigId.Iteration >= 0) > 0, "the new run recorded nothing of its own");
        }
    }

    [Fact]
    public void A_warm_start_source_that_does_not_exist_is_a_usage_error_naming_the_option()
    {
        using var data = new TempDirectory();

        var (exit, output, error) = CliRunner.Run("run", "--iterations", "1", "--data-dir", data.Path, "--warm-start", "no-such-run");

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("'no-such-run' is neither a folder nor a run", error, StringComparison.Ordinal);
        Assert.Contains("--warm-start", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_waits_for_more_workers_than_come_says_so_and_is_cancelled_at_its_timeout()
    {
        using var data = new TempDirectory();

        var (exit, output, error) = CliRunner.Run(
            "run", "--iterations", "1", "--workers", "1", "--min-workers", "3", "--min-workers-timeout", "1", "--run-id", "too-few", "--data-dir", data.Path);

        Assert.Contains("Waiting for 3 slots offering 'toy' before the first job (MinSlots); 1 available.", error, StringComparison.Ordinal);
        Assert.Contains("Cancelled: waited 1 s for 3 slots offering 'toy'", error, StringComparison.Ordinal);
        Assert.Contains("cancelled", output + error, StringComparison.Ordinal);
        Assert.NotEqual(0, exit);
    }

    [Theory]
    [InlineData("--min-workers", "0", "--min-workers")]
    [InlineData("--min-workers-timeout", "-2", "--min-workers-timeout")]
    public void Bad_min_workers_settings_are_usage_errors_naming_the_option(string option, string value, string named)
    {
        var (exit, _, error) = CliRunner.Run("run", "--iterations", "1", option, value);

        Assert.Equal(2, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }
}
