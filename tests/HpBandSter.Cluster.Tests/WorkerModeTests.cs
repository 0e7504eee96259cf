using System.Globalization;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// Worker silo processes that leave by themselves (issue "Quickstart parity", §3): <c>--worker-mode true</c> silos stop
/// when a run started with <c>ShutdownWorkers</c> ends, shared silos stay; <c>--idle-timeout</c> stops an idle silo.
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class WorkerModeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_mode_silo_exits_after_the_run_that_shuts_down_its_workers_and_the_shared_silo_stays()
    {
        await using var cluster = await SiloCluster.StartAsync(siloCount: 1, slots: 0, objectives: "toy");
        using var worker = await StartWorkerAsync(cluster, LoopbackPorts.Free(2));

        var spec = new RunSpec
        {
            Objective = "toy", Optimizer = "hyperband", MinBudget = 9, MaxBudget = 81, Iterations = 1, Seed = 8,
            MinSlots = 2, MinSlotsTimeout = TimeSpan.FromSeconds(30), ShutdownWorkers = true,
        };
        var started = await cluster.Client.StartRunAsync("worker-mode", spec);
        Assert.True(started.Accepted, started.Error);
        var ended = await cluster.WaitForEndAsync("worker-mode", TimeSpan.FromSeconds(60));
        Assert.Equal(RunState.Completed, ended.State);
        Assert.Equal(ended.EvaluationsPlanned, ended.Finished);

        var exit = await worker.WaitForExitAsync(ExitTimeout);
        output.WriteLine($"worker exited with {exit}:\n{worker.Tail}");
        Assert.Equal(0, exit);
        Assert.Contains("asked its workers to shut down", worker.AllOutput, StringComparison.Ordinal);
        Assert.False(cluster.Primary.HasExited, "the shared silo (not in worker mode) stopped too");
    }

    [Fact]
    public async Task Runs_are_placed_on_silos_that_stay_not_on_workers_that_leave_by_themselves()
    {
        // Two shared silos and a worker-mode one: without the filter, activation-count placement would put some of
        // the runs on the worker (and in a run it would take their grains with it when it stops).
        await using var cluster = await SiloCluster.StartAsync(siloCount: 2, slots: 1, objectives: "toy");
        var ports = LoopbackPorts.Free(2);
        using var worker = await StartWorkerAsync(cluster, ports);

        var spec = new RunSpec
        {
            Objective = "toy", Optimizer = "randomsearch", MinBudget = 9, MaxBudget = 9, Iterations = 2, Seed = 3,
            MinSlots = 4, MinSlotsTimeout = TimeSpan.FromSeconds(30),
        };
        var runIds = Enumerable.Range(0, 6).Select(i => $"placed-{i}").ToList();
        foreach (var runId in runIds)
        {
            var started = await cluster.Client.StartRunAsync(runId, spec);
            Assert.True(started.Accepted, started.Error);
        }

        var hosts = new List<string>();
        foreach (var runId in runIds)
        {
            var ended = await cluster.WaitForEndAsync(runId, TimeSpan.FromSeconds(60));
            Assert.True(ended.State == RunState.Completed, $"{runId}: {RunStatusText.Describe(ended)}");
            Assert.Equal(ended.EvaluationsPlanned, ended.Finished);
            hosts.Add(ended.Host ?? "?");
        }

        output.WriteLine($"run hosts: {string.Join(", ", hosts)}; worker silo port {ports[0]}");
        Assert.All(hosts, host => Assert.NotEqual(ports[0], SiloKey.PortOf(host)));
        Assert.True(hosts.Select(SiloKey.PortOf).Distinct().Count() == 2, $"The six runs were not spread over both shared silos: {string.Join(", ", hosts)}");
        Assert.False(worker.HasExited, "the worker stopped although no run asked its workers to shut down");
    }

    [Fact]
    public async Task A_silo_with_an_idle_timeout_exits_by_itself_when_nothing_comes()
    {
        var ports = LoopbackPorts.Free(2);
        var data = Path.Combine(Path.GetTempPath(), "hpbandster-idle-" + Guid.NewGuid().ToString("N"));
        using var silo = SiloProcess.StartConfigured("idle", ports[0], ports[1], "idle-" + Guid.NewGuid().ToString("N")[..8], data, ["--slots", "1", "--objectives", "toy", "--idle-timeout", "2", "--log-level", "information"]);
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(30));

        var exit = await silo.WaitForExitAsync(ExitTimeout);

        Assert.Equal(0, exit);
        Assert.Contains("No evaluation for 2 s", silo.AllOutput, StringComparison.Ordinal);
        Directory.Delete(data, recursive: true);
    }

    [Theory]
    [InlineData("--idle-timeout", "0")]
    [InlineData("--idle-timeout", "soon")]
    [InlineData("--worker-mode", "maybe")]
    public async Task Bad_worker_settings_stop_the_silo_at_start_naming_the_option(string option, string value)
    {
        using var silo = SiloProcess.StartRaw("bad-" + option.TrimStart('-'), option, value);

        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        Assert.Contains(option, silo.StandardError, StringComparison.Ordinal);
        Assert.Contains(value, silo.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A worker-mode silo with two slots offering toy on <paramref name="ports"/> (silo, gateway), joined to <paramref name="cluster"/>.</summary>
    private static async Task<SiloProcess> StartWorkerAsync(SiloCluster cluster, int[] ports)
    {
        var worker = SiloProcess.StartRaw(
            "worker",
            "--clustering", "localhost", "--address", "127.0.0.1",
            "--silo-port", ports[0].ToString(CultureInfo.InvariantCulture), "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture),
            "--primary-port", cluster.Primary.SiloPort.ToString(CultureInfo.InvariantCulture),
            "--cluster-id", cluster.ClusterId, "--service-id", cluster.ClusterId,
            "--slots", "2", "--objectives", "toy", "--data-dir", cluster.DataDirectory, "--log-level", "information",
            "--worker-mode", "true");
        try
        {
            await worker.WaitReadyAsync(TimeSpan.FromSeconds(30));
            return worker;
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }
}
