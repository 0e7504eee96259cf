using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace HpBandSter.Examples.Tests;

/// <summary>
/// HpBandSter's first three quick-start setups as this repository ships them under examples/: each program is run as a
/// real process, exactly as its README says (with a temporary data directory), and must end with the Step-5 summary.
/// </summary>
public sealed partial class QuickstartExampleTests
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Example_1_sequential_runs_bohb_on_one_slot_and_prints_step_5()
    {
        using var data = new TempDirectory();
        using var example = ExampleProcess.Start("quickstart-sequential", data.Path, "--iterations", "4", "--seed", "1", "--data-dir", data.Path);

        var (exitCode, stdout) = await example.WaitForExitAsync(RunDeadline);

        Assert.True(exitCode == 0, $"exit code {exitCode}\nstdout:\n{stdout}\nstderr:\n{example.Stderr}");
        Assert.Contains("1 slot", stdout, StringComparison.Ordinal);
        Step5Lines.AssertFourIterationsOfBohb(stdout);
        Assert.True(File.Exists(Path.Combine(data.Path, "runs.db")), "the run was not journaled in <data dir>/runs.db");
    }

    [Fact]
    public async Task Example_1_is_reproducible_for_a_seed_on_one_slot()
    {
        using var data = new TempDirectory();
        using var first = ExampleProcess.Start("quickstart-sequential", data.Path, "--seed", "7", "--iterations", "2", "--data-dir", data.Path);
        using var second = ExampleProcess.Start("quickstart-sequential", data.Path, "--seed", "7", "--iterations", "2", "--data-dir", data.Path);

        var (firstCode, firstOut) = await first.WaitForExitAsync(RunDeadline);
        var (secondCode, secondOut) = await second.WaitForExitAsync(RunDeadline);

        Assert.True(firstCode == 0 && secondCode == 0, $"exit codes {firstCode}, {secondCode}\n{first.Stderr}\n{second.Stderr}");
        Assert.Equal(Summary(firstOut), Summary(secondOut));
    }

    [Fact]
    public async Task Example_2_threads_runs_on_four_slots_faster_than_the_evaluations_sleep_in_sequence()
    {
        using var data = new TempDirectory();
        using var example = ExampleProcess.Start("quickstart-threads", data.Path, "--workers", "4", "--sleep", "0.1", "--data-dir", data.Path);

        var (exitCode, stdout) = await example.WaitForExitAsync(RunDeadline);

        Assert.True(exitCode == 0, $"exit code {exitCode}\nstdout:\n{stdout}\nstderr:\n{example.Stderr}");
        Step5Lines.AssertFourIterationsOfBohb(stdout);
        var clock = WallClockLine().Match(stdout);
        Assert.True(clock.Success, $"no wall-clock line in:\n{stdout}");
        var elapsed = double.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture);
        var sequential = double.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal(6.5, sequential);
        Assert.True(elapsed < sequential, $"4 slots took {elapsed} s, not less than the {sequential} s the 65 sleeps take one after another");
    }

    [Fact]
    public async Task Example_3_processes_runs_on_two_worker_processes_that_exit_by_themselves_when_the_run_ends()
    {
        using var data = new TempDirectory();
        var portBase = FreePort().ToString(CultureInfo.InvariantCulture);
        // As in HpBandSter's example 3, a worker may start before the optimizer: it keeps trying to join until the primary silo is up.
        using var worker1 = ExampleProcess.Start("quickstart-processes", data.Path, "--worker", "--port-base", portBase, "--data-dir", data.Path);
        using var optimizer = ExampleProcess.Start("quickstart-processes", data.Path, "--port-base", portBase, "--data-dir", data.Path);
        await optimizer.WaitForLineAsync(l => l.Contains("waiting for 2 worker slots", StringComparison.Ordinal), "that it waits for 2 worker slots", RunDeadline);

        using var worker2 = ExampleProcess.Start("quickstart-processes", data.Path, "--worker", "--port-base", portBase, "--data-dir", data.Path);

        var (exitCode, stdout) = await optimizer.WaitForExitAsync(RunDeadline);
        Assert.True(exitCode == 0, $"optimizer exit code {exitCode}\nstdout:\n{stdout}\nstderr:\n{optimizer.Stderr}");
        Assert.Contains("2 worker slots available", stdout, StringComparison.Ordinal);
        Step5Lines.AssertFourIterationsOfBohb(stdout);

        // The workers leave by themselves (RunSpec.ShutdownWorkers with WorkerOptions.ExitWhenRunsEnd), well before their
        // 60 s idle timeout: the optimizer already waited for them to leave the cluster.
        var evaluated = 0;
        foreach (var worker in new[] { worker1, worker2 })
        {
            var (workerCode, workerOut) = await worker.WaitForExitAsync(TimeSpan.FromSeconds(20));
            Assert.True(workerCode == 0, $"worker exit code {workerCode}\nstdout:\n{workerOut}\nstderr:\n{worker.Stderr}");
            var line = EvaluatedLine().Match(workerOut);
            Assert.True(line.Success, $"no 'evaluated N configurations; left the cluster' line in:\n{workerOut}");
            var count = int.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.True(count > 0, $"a worker evaluated nothing:\n{workerOut}");
            evaluated += count;
        }

        Assert.Equal(65, evaluated);
    }

    private static string Summary(string stdout) =>
        string.Join('\n', stdout.Split('\n').Select(l => l.TrimEnd('\r')).SkipWhile(l => !l.StartsWith("Best found configuration", StringComparison.Ordinal)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^Wall-clock time: ([0-9.]+) s with 4 slots; one slot would sleep ([0-9.]+) s alone", RegexOptions.Multiline)]
    private static partial Regex WallClockLine();

    [GeneratedRegex(@"^worker \d+: evaluated (\d+) configurations; left the cluster", RegexOptions.Multiline)]
    private static partial Regex EvaluatedLine();
}
