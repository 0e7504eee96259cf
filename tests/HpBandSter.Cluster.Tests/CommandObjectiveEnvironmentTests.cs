using System.Text.Json.Nodes;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// Command objectives from environment variables (<c>HPBANDSTER_CommandObjectives__NAME__Setting</c>): a silo process
/// offers and evaluates them, a variable overrides the file per key, and bad ones fail naming the variable.
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class CommandObjectiveEnvironmentTests : IDisposable
{
    private const string Script = """
        import json, os, sys
        job = json.load(sys.stdin)
        x = job["config"].get("x", 0.5)
        print(json.dumps({"loss": (x - 0.3) ** 2 + 1.0 / job["budget"],
                          "info": {"argv": sys.argv[1:], "fixed": os.environ.get("FIXED_SETTING"), "other": os.environ.get("OTHER_SETTING")}}))
        """;

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hpbandster-command-env-tests", Guid.NewGuid().ToString("N")[..12]);

    public CommandObjectiveEnvironmentTests()
    {
        Assert.True(CommandObjectiveFixture.FindOnPath("python3") is not null, "python3 is not on PATH: these tests run a Python script (Debian: apt-get install python3).");
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "objective.py"), Script);
        File.WriteAllText(Path.Combine(_directory, "space.json"), CommandObjectiveFixture.SpaceJson);
    }

    [Fact]
    public async Task Objectives_from_the_environment_are_offered_and_evaluated_and_override_the_file_per_key()
    {
        // In the file: "both", with two arguments and two environment entries.
        var file = Path.Combine(_directory, "appsettings.json");
        await File.WriteAllTextAsync(file, new JsonObject
        {
            ["HpBandSter"] = new JsonObject
            {
                ["CommandObjectives"] = new JsonObject
                {
                    ["both"] = new JsonObject
                    {
                        ["Executable"] = "python3",
                        ["Arguments"] = new JsonArray("{base}/objective.py", "from-file"),
                        ["SearchSpace"] = "space.json",
                        ["Environment"] = new JsonObject { ["FIXED_SETTING"] = "from-file", ["OTHER_SETTING"] = "from-file" },
                    },
                },
            },
        }.ToJsonString());

        var script = Path.Combine(_directory, "objective.py");
        var environment = new Dictionary<string, string>
        {
            // "envonly" exists in the environment only.
            ["HPBANDSTER_CommandObjectives__envonly__Executable"] = "python3",
            ["HPBANDSTER_CommandObjectives__envonly__Arguments__0"] = script,
            ["HPBANDSTER_CommandObjectives__envonly__Arguments__1"] = "env-mode",
            ["HPBANDSTER_CommandObjectives__envonly__SearchSpace"] = Path.Combine(_directory, "space.json"),
            ["HPBANDSTER_CommandObjectives__envonly__Environment__FIXED_SETTING"] = "from-env",

            // "both": the second argument and one environment entry replaced, the rest kept from the file.
            ["HPBANDSTER_COMMANDOBJECTIVES__BOTH__ARGUMENTS__1"] = "overridden",
            ["HPBANDSTER_CommandObjectives__both__Environment__OTHER_SETTING"] = "from-env",
        };
        await using var cluster = await SiloCluster.StartConfiguredAsync(["--config", file, "--objectives", "none", "--slots", "2"], environment);
        var ready = await cluster.Primary.Ready;
        var offered = System.Text.RegularExpressions.Regex.Match(ready, "objectives=(\\S*)").Groups[1].Value.Split(',');
        Assert.True(offered.Order().SequenceEqual(["both", "envonly"]), $"The silo offers {string.Join(",", offered)}, expected both and envonly: {ready}");

        foreach (var run in (await RunAsync(cluster, "envonly")).GetAllRuns())
        {
            Assert.False(run.IsCrashed, $"Run {run.ConfigId} crashed: {run.ErrorLogs}");
            Assert.Equal(["env-mode"], run.Info!["argv"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal("from-env", run.Info!["fixed"]?.GetValue<string>());
        }

        var both = await RunAsync(cluster, "both");
        foreach (var run in both.GetAllRuns())
        {
            Assert.False(run.IsCrashed, $"Run {run.ConfigId} crashed: {run.ErrorLogs}");
            var x = both[run.ConfigId].Config.GetDouble("x");
            Assert.Equal(((x - 0.3) * (x - 0.3)) + (1.0 / run.Budget), run.Loss!.Value, 12);
            Assert.Equal(["overridden"], run.Info!["argv"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal("from-file", run.Info!["fixed"]?.GetValue<string>());
            Assert.Equal("from-env", run.Info!["other"]?.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("HPBANDSTER_CommandObjectives__broken__Exectuable", "python3", "unknown setting 'Exectuable'")]
    [InlineData("HPBANDSTER_CommandObjectives__broken__Timeout", "30", "'30' is not a duration")]
    [InlineData("HPBANDSTER_CommandObjectives__broken__MaxOutputBytes", "lots", "lots")]
    [InlineData("HPBANDSTER_CommandObjectives__broken", "python3", "found a single value")]
    public async Task A_bad_command_objective_variable_is_named_in_the_error(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string>
        {
            [variable] = value,
            ["HPBANDSTER_CommandObjectives__broken__Arguments__0"] = "x.py",
        };
        using var silo = SiloProcess.StartRaw("silo " + variable, environment, "--data-dir", Path.Combine(_directory, "data"));
        var exitCode = await silo.WaitForExitAsync(ExitTimeout);
        Assert.True(exitCode == 2, $"Exit code {exitCode}, expected 2 (a usage error).\n{silo.Tail}");
        Assert.Contains($"(from {variable})", silo.StandardError, StringComparison.Ordinal);
        Assert.Contains(expected, silo.StandardError, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<OptimizationResult> RunAsync(SiloCluster cluster, string objective)
    {
        var runId = objective + "-" + Guid.NewGuid().ToString("N")[..8];
        var spec = new RunSpec { Objective = objective, Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 2, Seed = 5 };
        var started = await cluster.Client.StartRunAsync(runId, spec);
        Assert.True(started.Accepted, $"The run was refused: {started.Error}\n{cluster.Tails}");
        var end = await cluster.WaitForEndAsync(runId, RunTimeout);
        Assert.True(end.State == RunState.Completed, $"The run ended as {RunStatusText.Describe(end)}.\n{cluster.Tails}");
        var result = await cluster.Client.GetResultAsync(runId);
        Assert.Equal(2, result.GetAllRuns().Count);
        return result;
    }
}
