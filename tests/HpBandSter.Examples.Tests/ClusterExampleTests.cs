using System.Globalization;
using System.Text.RegularExpressions;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Examples.Tests;

/// <summary>
/// HpBandSter's fourth quick-start setup, a cluster, as examples/cluster ships it: run-local.sh is run exactly as its
/// README says, against a database of its own on the real test PostgreSQL (HPBANDSTER_TEST_POSTGRES), with the
/// programs built with these tests (HPBANDSTER_BIN_DIR). The scheduler scripts cannot run here; they are checked for
/// syntax and for starting the silos through the same silo-node.sh that run-local.sh uses.
/// </summary>
public sealed partial class ClusterExampleTests
{
    private const int Silos = 3;
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(120);

    private static string ExampleDirectory => Path.Combine(RepositoryRoot, "examples", "cluster");

    private static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HpBandSter.Orleans.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"no HpBandSter.Orleans.sln above {AppContext.BaseDirectory}");
        }
    }

    [Fact]
    public async Task Run_local_runs_bohb_from_the_client_on_three_postgres_silos_that_all_take_jobs_and_stops_them_all()
    {
        await using var database = await ExampleDatabase.CreateAsync();
        using var work = new TempDirectory();
        var clusterId = "example-" + Guid.NewGuid().ToString("N")[..12];
        var runId = "cluster-example-" + Guid.NewGuid().ToString("N")[..8];
        var environment = new Dictionary<string, string?>
        {
            ["HPBANDSTER_POSTGRES"] = database.ConnectionString,
            ["HPBANDSTER_POSTGRES_FILE"] = null,
            ["HPBANDSTER_BIN_DIR"] = AppContext.BaseDirectory,
            ["HPBANDSTER_CLUSTER_ID"] = clusterId,
        };

        // The README's command, with a work directory to look into and the run's id to watch it by.
        using var script = ExampleProcess.StartScript(
            Path.Combine(ExampleDirectory, "run-local.sh"), RepositoryRoot, environment, "--work-dir", work.Path, "--", "--run-id", runId);
        await script.WaitForLineAsync(l => l.StartsWith($"{Silos} silos ready", StringComparison.Ordinal), $"that its {Silos} silos are ready", ReadyDeadline);

        // A second client, as anyone's 'hpbandster watch' would be, sees which silos run the run's jobs.
        var observer = await RunObserver.ConnectAsync(database.ConnectionString, clusterId, TimeSpan.FromSeconds(60));
        HashSet<int> portsThatRanJobs;
        RunStatus? observed;
        try
        {
            await script.WaitForLineAsync(l => l.StartsWith($"run {runId}:", StringComparison.Ordinal), "the client's line for the started run", TimeSpan.FromSeconds(60));
            await observer.WatchAsync(runId, () => script.HasExited, RunDeadline);
            portsThatRanJobs = [.. observer.SilosThatRanJobs.Select(PortOf)];
            observed = observer.LastStatus;
        }
        finally
        {
            await observer.DisposeAsync();
        }

        var (exitCode, stdout) = await script.WaitForExitAsync(RunDeadline);
        var report = $"\nstdout:\n{stdout}\nstderr:\n{script.Stderr}";
        Assert.True(exitCode == 0, $"run-local.sh exited with code {exitCode}{report}");

        // Three silos joined through PostgreSQL, each with a port of its own.
        var ready = ReadyLine().Matches(stdout).Select(m => (Silo: m.Groups[1].Value, Port: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.True(ready.Count == Silos, $"expected {Silos} 'silo N: ready: ... clustering=postgres(...)' lines{report}");
        Assert.Equal(Silos, ready.Select(r => r.Silo).Distinct().Count());
        var readyPorts = ready.Select(r => r.Port).ToHashSet();
        Assert.Equal(Silos, readyPorts.Count);

        // The run: BOHB's four iterations on toy, every planned evaluation recorded, a finite incumbent.
        Assert.Contains("A total of 46 unique configurations were sampled.", stdout, StringComparison.Ordinal);
        Assert.Contains("A total of 65 runs were executed.", stdout, StringComparison.Ordinal);
        Assert.Contains("Total budget corresponds to 15.0 full function evaluations.", stdout, StringComparison.Ordinal);
        var incumbent = IncumbentLine().Match(stdout);
        Assert.True(incumbent.Success, $"no incumbent line{report}");
        var loss = double.Parse(incumbent.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.True(double.IsFinite(loss), $"the incumbent's loss is {loss}");
        Assert.NotNull(observed);
        Assert.True(observed.State == RunState.Completed, $"the observer last saw the run {observed.State}{report}");
        Assert.Equal(65, observed.EvaluationsPlanned);
        Assert.Equal(observed.EvaluationsPlanned, observed.Finished);
        Assert.Equal(0, observed.Crashed);
        Assert.True(observed.Incumbent is { } seen && double.IsFinite(seen.Loss), "the run's status has no finite incumbent");

        // All three silos ran jobs of the run (the client asked for --min-workers 3; each silo has one slot).
        Assert.True(
            readyPorts.SetEquals(portsThatRanJobs),
            $"silos on ports {string.Join(", ", readyPorts.Order())} were ready, but jobs were seen running on {string.Join(", ", portsThatRanJobs.Order())}{report}");

        // The run's journal in PostgreSQL says the same.
        var stored = Assert.Single(await database.QueryAsync("SELECT state, finished, planned, best_loss FROM hpbandster_runs WHERE id = @p0", runId));
        Assert.True(stored[0] == "completed" && stored[1] == "65" && stored[2] == "65", $"stored run: {string.Join(", ", stored)}");
        Assert.True(double.TryParse(stored[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var bestLoss) && double.IsFinite(bestLoss), $"stored best loss '{stored[3]}'");

        // Every silo stopped gracefully: exit code 0, and the membership table shows it left (Dead, 6) rather than gone missing.
        Assert.Equal(Silos, StoppedLine().Matches(stdout).Select(m => m.Groups[1].Value).Distinct().Count());
        var members = await database.QueryAsync("SELECT port, status FROM hpbandster_orleans_membership WHERE deploymentid = @p0", clusterId);
        Assert.True(members.Count == Silos, $"membership rows: {string.Join("; ", members.Select(m => string.Join(",", m)))}");
        Assert.True(readyPorts.SetEquals(members.Select(m => int.Parse(m[0]!, CultureInfo.InvariantCulture))), "the membership table names other silos than the ready lines");
        Assert.All(members, m => Assert.Equal("6", m[1]));

        // Nothing the script started is left: no process mentions its work directory (the silos' --data-dir) any more.
        var left = ProcessesMentioning(work.Path);
        Assert.True(left.Count == 0, $"processes left behind:\n{string.Join("\n", left)}");
    }

    [Fact]
    public async Task Silo_node_stops_its_silo_gracefully_when_sge_warns_the_whole_process_group_with_sigusr2()
    {
        await using var database = await ExampleDatabase.CreateAsync();
        using var work = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["HPBANDSTER_POSTGRES"] = database.ConnectionString,
            ["HPBANDSTER_SILO_PORT"] = null,
            ["HPBANDSTER_GATEWAY_PORT"] = null,
            ["HPBANDSTER_SILO"] = Path.Combine(AppContext.BaseDirectory, "hpbandster-silo.dll"),
            ["HPBANDSTER_CLUSTER_ID"] = "usr2-" + Guid.NewGuid().ToString("N")[..12],
            ["HPBANDSTER_DATA_DIR"] = null,
            ["HPBANDSTER_SLOTS"] = null,
            ["NSLOTS"] = "2",
            ["TMPDIR"] = work.Path,
        };

        // As SGE starts a job: the node script leads a process group of its own, with the silo in it. It picks the
        // silo's ports itself (free ones; clients find them in PostgreSQL).
        var dataDirectory = Path.Combine(work.Path, "data");
        using var node = ExampleProcess.StartProgram(
            "setsid", work.Path, environment, Path.Combine(ExampleDirectory, "silo-node.sh"), "--address", "127.0.0.1", "--data-dir", dataDirectory);
        var ready = await node.WaitForLineAsync(l => l.StartsWith("hpbandster-silo ready:", StringComparison.Ordinal), "its ready line", ReadyDeadline);
        Assert.Contains(" slots=2 ", ready, StringComparison.Ordinal); // NSLOTS, SGE's slots of the task
        Assert.Contains(" clustering=postgres(", ready, StringComparison.Ordinal);
        var port = AddressAndGateway().Match(ready);
        Assert.True(port.Success && port.Groups[1].Value != port.Groups[2].Value, $"ready line: {ready}");

        // qdel with -notify: SIGUSR2 to the job's process group, whose default action would kill the silo on the spot.
        using (var notify = ExampleProcess.StartProgram("kill", work.Path, new Dictionary<string, string?>(), "-USR2", "--", $"-{node.Id}"))
        {
            var (killCode, _) = await notify.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(killCode == 0, $"kill -USR2: {notify.Stderr}");
        }

        var (exitCode, _) = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 0, $"silo-node.sh exited with {exitCode} (0 after a graceful stop)\nstderr:\n{node.Stderr}");
        Assert.DoesNotContain("non-graceful", node.Stderr, StringComparison.Ordinal);
        var member = Assert.Single(await database.QueryAsync("SELECT port, status FROM hpbandster_orleans_membership"));
        Assert.True(member[0] == port.Groups[1].Value && member[1] == "6", $"membership row {string.Join(", ", member)}: the silo did not leave (status 6, Dead)");
        var left = ProcessesMentioning(dataDirectory);
        Assert.True(left.Count == 0, $"processes left behind:\n{string.Join("\n", left)}");
    }

    [Fact]
    public async Task Run_local_without_a_database_fails_and_says_how_to_start_one()
    {
        var environment = new Dictionary<string, string?>
        {
            ["HPBANDSTER_POSTGRES"] = null,
            ["HPBANDSTER_POSTGRES_FILE"] = null,
            ["HPBANDSTER_TEST_POSTGRES"] = null,
        };
        using var script = ExampleProcess.StartScript(Path.Combine(ExampleDirectory, "run-local.sh"), RepositoryRoot, environment);

        var (exitCode, _) = await script.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains("HPBANDSTER_POSTGRES", script.Stderr, StringComparison.Ordinal);
        Assert.Contains("scripts/postgres.sh start", script.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_node_and_submit_run_without_a_connection_string_fail_naming_the_file_they_looked_for()
    {
        using var home = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["HPBANDSTER_POSTGRES"] = null,
            ["HPBANDSTER_POSTGRES_FILE"] = null,
            ["HOME"] = home.Path,
        };
        foreach (var name in new[] { "silo-node.sh", "submit-run.sh" })
        {
            using var script = ExampleProcess.StartScript(Path.Combine(ExampleDirectory, name), home.Path, environment);

            var (exitCode, _) = await script.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.True(exitCode == 2, $"{name} exited with {exitCode}\n{script.Stderr}");
            Assert.Contains(Path.Combine(home.Path, ".hpbandster", "postgres"), script.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("run-local.sh")]
    [InlineData("silo-node.sh")]
    [InlineData("submit-run.sh")]
    [InlineData("slurm-silos.sbatch")]
    [InlineData("sge-silos.sh")]
    public async Task Script_is_valid_bash_and_strict(string name)
    {
        var path = Path.Combine(ExampleDirectory, name);
        using var check = ExampleProcess.StartProgram("bash", ExampleDirectory, new Dictionary<string, string?>(), "-n", path);

        var (exitCode, _) = await check.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"bash -n {name}: {check.Stderr}");
        var text = await File.ReadAllTextAsync(path);
        Assert.StartsWith("#!", text, StringComparison.Ordinal);
        Assert.Contains("\nset -euo pipefail\n", text, StringComparison.Ordinal);
        Assert.True(!OperatingSystem.IsWindows() && File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{name} is not executable (the README and run-local.sh start the scripts directly)");
    }

    [Theory]
    [InlineData("slurm-silos.sbatch", "#SBATCH --array=1-3", "$SLURM_SUBMIT_DIR/silo-node.sh")]
    [InlineData("sge-silos.sh", "#$ -t 1-3", "$SGE_O_WORKDIR/silo-node.sh")]
    public async Task Scheduler_script_starts_three_silos_through_silo_node_sh(string name, string arrayDirective, string nodeScript)
    {
        var lines = await File.ReadAllLinesAsync(Path.Combine(ExampleDirectory, name));

        Assert.Contains(arrayDirective, lines);
        var exec = Assert.Single(lines, l => l.StartsWith("exec ", StringComparison.Ordinal));
        Assert.Contains($"\"{nodeScript}\"", exec, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("hpbandster-silo ", StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'));
    }

    private static int PortOf(string silo)
    {
        var match = SiloPort().Match(silo);
        Assert.True(match.Success, $"'{silo}' is not a silo address");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static List<string> ProcessesMentioning(string text)
    {
        List<string> found = [];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {commandLine}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    [GeneratedRegex(@"^silo (\d+): ready: address=127\.0\.0\.1:(\d+) gateway=\d+ slots=1 objectives=\S*toy\S* clustering=postgres\(", RegexOptions.Multiline)]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"^  config id \[\d+, \d+, \d+\], loss (\S+) on budget 243", RegexOptions.Multiline)]
    private static partial Regex IncumbentLine();

    [GeneratedRegex(@"^silo (\d+) stopped \(exit code 0\)", RegexOptions.Multiline)]
    private static partial Regex StoppedLine();

    [GeneratedRegex(@"address=127\.0\.0\.1:(\d+) gateway=(\d+) ")]
    private static partial Regex AddressAndGateway();

    [GeneratedRegex(@":(\d+)(?:@\d+)?$")]
    private static partial Regex SiloPort();
}
