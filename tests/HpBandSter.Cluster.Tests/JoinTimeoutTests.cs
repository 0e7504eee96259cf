using System.Diagnostics;
using System.Globalization;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// A silo that cannot join its cluster gives up after its join timeout (by default a worker-mode silo's idle timeout)
/// with exit code 1 and a message saying what to check, instead of retrying for minutes; one whose primary comes up in
/// time joins.
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class JoinTimeoutTests
{
    [Fact]
    public async Task A_worker_mode_silo_whose_primary_is_missing_exits_within_its_idle_timeout_saying_what_to_check()
    {
        // The primary port: free now, and nobody listens on it.
        var ports = LoopbackPorts.Free(3);
        var clusterId = "join-" + Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        using var worker = StartWorker(ports[0], ports[1], primaryPort: ports[2], clusterId, "--worker-mode", "true", "--idle-timeout", "3");

        var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(45));

        Assert.True(exit == 1, $"Exit code {exit}, expected 1.\n{worker.Tail}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"The worker took {clock.Elapsed.TotalSeconds:0.0} s to give up with a 3 s idle timeout.\n{worker.Tail}");
        Assert.Contains("hpbandster-silo: could not join the cluster within 3 s (its --idle-timeout, the default --join-timeout of a --worker-mode silo)", worker.StandardError, StringComparison.Ordinal);
        Assert.Contains($"Check that the primary silo is up and listening at 127.0.0.1:{ports[2]} (--address, --primary-port) and uses cluster id '{clusterId}'", worker.StandardError, StringComparison.Ordinal);
        Assert.False(worker.Ready.IsCompletedSuccessfully, "The worker printed a ready line without a cluster.");
    }

    [Fact]
    public async Task An_explicit_join_timeout_bounds_any_silo_and_names_its_variable()
    {
        var ports = LoopbackPorts.Free(3);
        using var silo = SiloProcess.StartRaw(
            "silo HPBANDSTER_JOIN_TIMEOUT",
            new Dictionary<string, string> { ["HPBANDSTER_JOIN_TIMEOUT"] = "2" },
            [.. Arguments(ports[0], ports[1], ports[2], "join-" + Guid.NewGuid().ToString("N")[..8])]);

        var exit = await silo.WaitForExitAsync(TimeSpan.FromSeconds(45));

        Assert.True(exit == 1, $"Exit code {exit}, expected 1.\n{silo.Tail}");
        Assert.Contains("could not join the cluster within 2 s (--join-timeout (from HPBANDSTER_JOIN_TIMEOUT))", silo.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_started_before_its_primary_joins_once_the_primary_is_up()
    {
        var ports = LoopbackPorts.Free(4);
        var clusterId = "join-" + Guid.NewGuid().ToString("N")[..8];
        var data = Path.Combine(Path.GetTempPath(), "hpbandster-cluster-tests", clusterId);
        using var worker = StartWorker(ports[0], ports[1], primaryPort: ports[2], clusterId, "--worker-mode", "true", "--join-timeout", "60");

        // The worker has tried the primary at least once before the primary starts.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!worker.StandardError.Contains($"127.0.0.1:{ports[2]}", StringComparison.Ordinal) && !worker.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(worker.StandardError.Contains($"127.0.0.1:{ports[2]}", StringComparison.Ordinal), $"The worker never tried the primary.\n{worker.Tail}");
        using var primary = SiloProcess.StartSilo("primary", ports[2], ports[3], ports[2], clusterId, 1, "toy", data);
        await primary.WaitReadyAsync(TimeSpan.FromSeconds(30));

        await worker.WaitReadyAsync(TimeSpan.FromSeconds(50));
        Assert.False(worker.HasExited, $"The worker exited after joining.\n{worker.Tail}");
    }

    private static SiloProcess StartWorker(int siloPort, int gatewayPort, int primaryPort, string clusterId, params string[] extra) =>
        SiloProcess.StartRaw($"worker {string.Join(' ', extra)}", [.. Arguments(siloPort, gatewayPort, primaryPort, clusterId), .. extra]);

    private static List<string> Arguments(int siloPort, int gatewayPort, int primaryPort, string clusterId) =>
    [
        "--clustering", "localhost", "--address", "127.0.0.1",
        "--silo-port", siloPort.ToString(CultureInfo.InvariantCulture),
        "--gateway-port", gatewayPort.ToString(CultureInfo.InvariantCulture),
        "--primary-port", primaryPort.ToString(CultureInfo.InvariantCulture),
        "--cluster-id", clusterId, "--service-id", clusterId,
        "--slots", "1", "--objectives", "toy",
        "--data-dir", Path.Combine(Path.GetTempPath(), "hpbandster-cluster-tests", clusterId),
    ];
}
