using System.Text.Json.Nodes;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// Command objectives on a real silo process: a Python program per job, started without a shell, the job as JSON on
/// stdin and in job.json, the result from result.json or stdout's last line; failures crash the job with the stderr
/// tail; hostile configuration values stay data.
/// </summary>
public sealed class CommandObjectiveTests(CommandObjectiveFixture fixture) : IClassFixture<CommandObjectiveFixture>
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Program_losses_reach_the_run_and_each_job_has_its_own_directory()
    {
        var result = await RunAsync("cmd-ok", "ok-" + Guid.NewGuid().ToString("N")[..8]);
        var runs = result.GetAllRuns();
        Assert.Equal(4, runs.Count);
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            Assert.False(run.IsCrashed, $"Run {run.ConfigId} crashed: {run.ErrorLogs}");
            var x = result[run.ConfigId].Config.GetDouble("x");
            Assert.Equal(((x - 0.3) * (x - 0.3)) + (1.0 / run.Budget), run.Loss!.Value, 12);

            var info = run.Info!.AsObject();
            var cwd = info["cwd"]!.GetValue<string>();
            Assert.True(directories.Add(cwd), $"Two jobs ran in {cwd}.");
            var name = Path.GetFileName(cwd);
            Assert.Equal($"{run.ConfigId.Iteration}_{run.ConfigId.Stage}_{run.ConfigId.Index}_b{run.Budget:R}_a1", name);
            Assert.StartsWith(Path.Combine(fixture.Cluster.DataDirectory, "jobs"), cwd, StringComparison.Ordinal);
            Assert.Equal(cwd, info["job"]!["working_directory"]!.GetValue<string>());
            Assert.Equal(Path.Combine(cwd, "job.json"), info["job_file"]!.GetValue<string>());
            Assert.True(File.Exists(Path.Combine(cwd, "job.json")), $"No job.json in {cwd}.");
            var id = info["job"]!["config_id"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray();
            Assert.Equal([run.ConfigId.Iteration, run.ConfigId.Stage, run.ConfigId.Index], id);
            Assert.Equal(run.Budget, info["job"]!["budget"]!.GetValue<double>());

            // Fixed by the operator: arguments and environment; the silo's own HPBANDSTER_* settings are not passed on.
            Assert.Equal(["ok"], info["argv"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal("from-config", info["fixed"]?.GetValue<string>());
            Assert.Null(info["secret"]);
        }
    }

    [Fact]
    public async Task Incumbent_retention_leaves_only_the_incumbents_directory_when_the_run_completes()
    {
        var runId = "keep-" + Guid.NewGuid().ToString("N")[..8];
        var result = await RunAsync("cmd-keep", runId, maxBudget: 9);
        var incumbent = result.GetIncumbentRun();
        Assert.NotNull(incumbent);
        Assert.True(result.GetAllRuns().Count >= 13, $"Only {result.GetAllRuns().Count} runs: too few to leave beaten directories.");

        // The silo cleans up after the run's completion message, off the grain's turn.
        var runDirectory = Path.Combine(fixture.Cluster.DataDirectory, "jobs", runId);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string[] left;
        while ((left = Directory.GetDirectories(runDirectory)).Length != 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var id = incumbent.ConfigId;
        Assert.True(left.Length == 1, $"Job directories left: {string.Join(", ", left.Select(Path.GetFileName))}; expected only the incumbent's.");
        Assert.Equal($"{id.Iteration}_{id.Stage}_{id.Index}_b{incumbent.Budget:R}_a1", Path.GetFileName(left[0]));
        var outcome = JsonNode.Parse(File.ReadAllText(Path.Combine(left[0], "outcome.json")))!;
        Assert.Equal("ok", outcome["status"]!.GetValue<string>());
        Assert.Equal(incumbent.Loss!.Value, outcome["loss"]!.GetValue<double>());

        // Noted as tidied at the run's result count, so that a restart of the silo does not read the run again.
        var marker = Path.Combine(runDirectory, ".retention-applied");
        while (!File.Exists(marker) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(File.Exists(marker), $"No {Path.GetFileName(marker)} in {runDirectory}.");
        Assert.Equal(result.GetAllRuns().Count.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(marker));
    }

    [Fact]
    public async Task Result_file_wins_over_stdout()
    {
        var result = await RunAsync("cmd-file", "file-" + Guid.NewGuid().ToString("N")[..8], optimizer: "randomsearch", minBudget: 1, maxBudget: 1);
        foreach (var run in result.GetAllRuns())
        {
            Assert.False(run.IsCrashed, $"Run {run.ConfigId} crashed: {run.ErrorLogs}");
            Assert.True(run.Loss > 100, $"Loss {run.Loss}: stdout's -1 was read instead of result.json.");
            Assert.Equal("file", run.Info!["from"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Failures_crash_the_job_with_the_reason_and_the_stderr_tail()
    {
        (string Objective, string Reason, string StderrMarker)[] cases =
        [
            ("cmd-exit", "exited with code 3", "stderr line 30"),
            ("cmd-malformed", "malformed result", "malformed-marker on stderr"),
            ("cmd-noloss", "without a \"loss\"", "noloss-marker on stderr"),
            ("cmd-textloss", "\"loss\" is not a number", "Its stderr was empty"),
        ];

        // One job each, all at once (the silo has four slots).
        var results = await Task.WhenAll(cases.Select(c => RunAsync(c.Objective, c.Objective + "-" + Guid.NewGuid().ToString("N")[..8], optimizer: "randomsearch", minBudget: 1, maxBudget: 1)));
        foreach (var ((objective, reason, stderrMarker), result) in cases.Zip(results))
        {
            var run = Assert.Single(result.GetAllRuns());
            Assert.True(run.IsCrashed, $"The job of {objective} did not crash: loss {run.Loss}.");
            var error = run.ErrorLogs ?? string.Empty;
            Assert.Contains($"Command objective '{objective}'", error, StringComparison.Ordinal);
            Assert.Contains(reason, error, StringComparison.Ordinal);
            Assert.Contains(stderrMarker, error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
            if (objective == "cmd-exit")
            {
                // The tail: the last 20 of 30 lines.
                Assert.Contains("stderr line 11\n", error, StringComparison.Ordinal);
                Assert.DoesNotContain("stderr line 10\n", error, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Timeout_kills_the_process_tree_and_crashes_the_job()
    {
        var runId = "sleep-" + Guid.NewGuid().ToString("N")[..8];
        var result = await RunAsync("cmd-sleep", runId, optimizer: "randomsearch", minBudget: 1, maxBudget: 1);
        var run = Assert.Single(result.GetAllRuns());
        Assert.True(run.IsCrashed, $"The sleeping job did not crash: loss {run.Loss}.");
        Assert.True(run.ErrorLogs?.Contains("timed out after 8 s", StringComparison.Ordinal), run.ErrorLogs);
        Assert.True(run.ErrorLogs?.Contains("sleeping-marker on stderr", StringComparison.Ordinal), run.ErrorLogs);

        // The grandchild the program started is gone too.
        var pidFile = Directory.GetFiles(Path.Combine(fixture.Cluster.DataDirectory, "jobs", runId), "child.pid", SearchOption.AllDirectories).Single();
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile), System.Globalization.CultureInfo.InvariantCulture);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (IsRunning(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(IsRunning(pid), $"The program's child process {pid} still runs after the timeout.");
    }

    [Fact]
    public async Task Cancelling_the_run_kills_the_program_and_its_children()
    {
        var cluster = fixture.Cluster;
        var runId = "hang-" + Guid.NewGuid().ToString("N")[..8];
        var started = await cluster.Client.StartRunAsync(runId, new RunSpec { Objective = "cmd-hang", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 1, Seed = 7 });
        Assert.True(started.Accepted, $"The run was refused: {started.Error}\n{cluster.Tails}");

        // Wait until the program runs and has started its child (it writes both pids).
        var runDirectory = Path.Combine(cluster.DataDirectory, "jobs", runId);
        string? pidsFile = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (pidsFile is null && DateTime.UtcNow < deadline)
        {
            pidsFile = Directory.Exists(runDirectory) ? Directory.GetFiles(runDirectory, "pids", SearchOption.AllDirectories).SingleOrDefault() : null;
            await Task.Delay(100);
        }

        Assert.True(pidsFile is not null, $"The program never wrote its pids under {runDirectory}.\n{cluster.Tails}");
        var pids = (await File.ReadAllTextAsync(pidsFile)).Split(' ').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.All(pids, pid => Assert.True(IsRunning(pid), $"Process {pid} is not running before the cancel."));

        await cluster.Client.CancelAsync(runId);
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (pids.Any(IsRunning) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(pids.Any(IsRunning), $"Processes {string.Join(", ", pids.Where(IsRunning))} still run 15 s after the run was cancelled.\n{cluster.Tails}");
    }

    [Fact]
    public async Task Hostile_configuration_values_travel_as_data_and_execute_nothing()
    {
        var marker = Path.Combine(Path.GetTempPath(), "hpbandster-pwned-" + Guid.NewGuid().ToString("N"));
        string[] values =
        [
            $"\"; touch {marker}; echo \"",
            $"$(touch {marker})",
            $"`touch {marker}`",
            $"'; touch {marker}; '",
            $"a\nb\r\n; touch {marker}\n",
            $"--help && touch {marker} || touch {marker} | touch {marker} > {marker}",
            "{job} {base} {data} {run} %PATH% ${HOME} \\\" \\\\ \u001b[31m é ✓",
            new string('A', 200_000),
        ];
        var space = new JsonObject
        {
            ["hyperparameters"] = new JsonArray([
                new JsonObject { ["name"] = "x", ["type"] = "uniform_float", ["log"] = false, ["lower"] = 0.0, ["upper"] = 1.0, ["default"] = 0.5 },
                .. values.Select((v, i) => (JsonNode)new JsonObject { ["name"] = $"h{i}", ["type"] = "constant", ["value"] = v }),
            ]),
            ["conditions"] = new JsonArray(),
            ["forbiddens"] = new JsonArray(),
        };

        var runId = "$(touch " + marker + ")/../../hostile";
        var result = await RunAsync("cmd-ok", runId, optimizer: "randomsearch", minBudget: 1, maxBudget: 1, space: space.ToJsonString());
        var run = Assert.Single(result.GetAllRuns());
        Assert.False(run.IsCrashed, $"The job crashed: {run.ErrorLogs}");
        var echoed = run.Info!["config"]!.AsObject();
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], echoed[$"h{i}"]!.GetValue<string>());
        }

        Assert.Equal(["ok"], run.Info!["argv"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(runId, run.Info!["job"]!["run_id"]!.GetValue<string>());
        var cwd = run.Info!["cwd"]!.GetValue<string>();
        Assert.StartsWith(Path.Combine(fixture.Cluster.DataDirectory, "jobs") + Path.DirectorySeparatorChar, Path.GetFullPath(cwd), StringComparison.Ordinal);
        Assert.False(File.Exists(marker), $"{marker} exists: a configuration value or the run id was executed.");
    }

    private async Task<OptimizationResult> RunAsync(string objective, string runId, string optimizer = "hyperband", double minBudget = 1, double maxBudget = 3, string? space = null)
    {
        var cluster = fixture.Cluster;
        var spec = new RunSpec
        {
            Objective = objective,
            Optimizer = optimizer,
            MinBudget = minBudget,
            MaxBudget = maxBudget,
            Iterations = 1,
            Eta = 3,
            Seed = 7,
            SearchSpace = space,
        };
        var started = await cluster.Client.StartRunAsync(runId, spec);
        Assert.True(started.Accepted, $"The run was refused: {started.Error}\n{cluster.Tails}");
        var end = await cluster.WaitForEndAsync(runId, RunTimeout);
        Assert.True(end.State == RunState.Completed, $"The run ended as {RunStatusText.Describe(end)}.\n{cluster.Tails}");
        return await cluster.Client.GetResultAsync(runId);
    }

    private static bool IsRunning(int pid)
    {
        // A zombie (state Z) has exited; only its parent has not reaped it yet.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
