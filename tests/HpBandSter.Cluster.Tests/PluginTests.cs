using HpBandSter.Orleans.Runs;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// --plugin PATH: the stock silo loads an assembly in its own load context and offers each [Objective("name")] class;
/// runs use the attribute's search space when they bring none.
/// </summary>
public sealed class PluginTests
{
    private static readonly string Plugin = Path.Combine(AppContext.BaseDirectory, "plugin", "HpBandSter.PluginFixture.dll");

    [Fact]
    public async Task Plugin_objectives_are_offered_and_evaluated_with_their_own_search_spaces()
    {
        Assert.True(File.Exists(Plugin), $"The plugin fixture was not built to {Plugin}.");
        await using var cluster = await SiloCluster.StartConfiguredAsync(["--objectives", "toy", "--plugin", Plugin, "--slots", "2"]);
        var ready = await cluster.Primary.Ready;
        Assert.True(ready.Contains("objectives=toy,plugin-quadratic,plugin-count", StringComparison.Ordinal) || ready.Contains("objectives=toy,plugin-count,plugin-quadratic", StringComparison.Ordinal), ready);

        foreach (var objective in new[] { "plugin-quadratic", "plugin-count" })
        {
            var runId = objective + "-" + Guid.NewGuid().ToString("N")[..8];
            var started = await cluster.Client.StartRunAsync(runId, new RunSpec { Objective = objective, Optimizer = "hyperband", MinBudget = 1, MaxBudget = 3, Iterations = 1, Seed = 3 });
            Assert.True(started.Accepted, $"The run on {objective} was refused: {started.Error}\n{cluster.Tails}");
            var end = await cluster.WaitForEndAsync(runId, TimeSpan.FromSeconds(60));
            Assert.True(end.State == RunState.Completed, $"The run ended as {RunStatusText.Describe(end)}.\n{cluster.Tails}");
            var result = await cluster.Client.GetResultAsync(runId);
            Assert.Equal(4, result.RunCount);
            foreach (var run in result.GetAllRuns())
            {
                Assert.False(run.IsCrashed, $"{objective} run {run.ConfigId} crashed: {run.ErrorLogs}");
                var config = result[run.ConfigId].Config;
                if (objective == "plugin-quadratic")
                {
                    var x = config.GetDouble("x");
                    Assert.Equal(((x - 0.25) * (x - 0.25)) + (1.0 / run.Budget), run.Loss!.Value, 12);
                    Assert.Equal("HpBandSter.PluginFixture", run.Info!["plugin"]!.GetValue<string>());
                }
                else
                {
                    Assert.Equal(config.GetInt64("y"), run.Loss!.Value);
                }
            }
        }
    }

    [Fact]
    public async Task Assembly_without_objectives_is_a_usage_error_naming_it()
    {
        var notAPlugin = Path.Combine(AppContext.BaseDirectory, "HpBandSter.Core.dll");
        using var silo = SiloProcess.StartRaw("silo --plugin core", "--plugin", notAPlugin);
        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"Plugin '{notAPlugin}': no public class implementing IObjective carries [Objective(\"name\")]", silo.StandardError, StringComparison.Ordinal);

        var missing = Path.Combine(AppContext.BaseDirectory, "plugin", "missing.dll");
        using var none = SiloProcess.StartRaw("silo --plugin missing", "--plugin", missing);
        Assert.Equal(2, await none.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"--plugin: the plugin assembly '{missing}' does not exist.", none.StandardError, StringComparison.Ordinal);
    }
}
