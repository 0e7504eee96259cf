using System.Text.Json;

namespace HpBandSter.Client.Tests;

/// <summary><c>run --cluster</c> against a silo with a gateway that the test starts (on free loopback ports).</summary>
public sealed class ClusterModeTests
{
    [Fact]
    public async Task RunsOnAnExistingClusterAndReportsObjectivesItDoesNotOffer()
    {
        using var data = new TempDirectory();
        var gateway = ClusterSession.FreeLoopbackPort();
        var clusterId = "cli-test-" + Guid.NewGuid().ToString("N");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var siloLog = new StringWriter();
        await using var silo = await ClusterSession.StartEmbeddedAsync(1, data.Path, siloLog, timeout.Token, gatewayPort: gateway, clusterId: clusterId);
        // A generous connect timeout: the cluster is up, but a loaded CI machine may start the client slowly.
        string[] cluster = ["--cluster", "--gateway-port", $"{gateway}", "--cluster-id", clusterId, "--service-id", clusterId, "--connect-timeout", "60"];

        // Any objective name is sent in cluster mode; the run grain refuses one no silo offers and lists what they do.
        var (refused, refusedOutput, refusedError) = CliRunner.Run(["run", "--objective", "rosenbrock", "--min-budget", "1", "--max-budget", "9", .. cluster]);
        Assert.True(refused == 2, $"exit {refused}; stderr: {refusedError}");
        Assert.Equal(string.Empty, refusedOutput);
        Assert.Contains("error: run ", refusedError);
        Assert.Contains("'rosenbrock'", refusedError);
        Assert.Contains("The cluster offers: branin, countingones, hartmann6, toy.", refusedError);

        var (exit, output, error) = CliRunner.Run(["run", "--objective", "toy", "--optimizer", "hyperband", "--iterations", "1", "--seed", "4", "--json", .. cluster]);
        Assert.True(exit == 0, $"exit {exit}; stderr: {error}");
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("completed", doc.RootElement.GetProperty("state").GetString());
        Assert.Equal(27, doc.RootElement.GetProperty("configs").GetInt32());
        Assert.Equal(40, doc.RootElement.GetProperty("runs").GetInt32());
        Assert.Equal(4.0, doc.RootElement.GetProperty("total_budget_full_evaluations").GetDouble());
    }

    [Fact]
    public void NoClusterAtTheGatewayIsAClearErrorNamingIt()
    {
        var port = ClusterSession.FreeLoopbackPort();
        var (exit, output, error) = CliRunner.Run("run", "--cluster", "--gateway-port", $"{port}", "--cluster-id", "nobody-" + Guid.NewGuid().ToString("N"), "--connect-timeout", "1");
        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"cannot connect to the cluster", error);
        Assert.Contains($"gateway port(s) {port}", error);
        Assert.Contains("no gateway answered within 1 s", error);
        Assert.DoesNotContain("warn:", error); // the failed attempts are not listed one by one
    }
}
