using System.Text.Json.Nodes;

namespace HpBandSter.Client.Tests;

/// <summary><c>hpbandster cancel</c> on a cluster (the embedded cases are in <see cref="WatchCommandTests"/>).</summary>
public sealed class CancelCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CancelOnAClusterCancelsTheRunAndWatchThenReportsItCancelled()
    {
        using var data = new TempDirectory();
        var gateway = ClusterSession.FreeLoopbackPort();
        var clusterId = "cli-cancel-" + Guid.NewGuid().ToString("N");
        using var timeout = new CancellationTokenSource(Deadline);
        await using var silo = await ClusterSession.StartEmbeddedAsync(1, data.File("silo"), new StringWriter(), timeout.Token, gatewayPort: gateway, clusterId: clusterId);
        // A generous connect timeout: the cluster is up, but a loaded CI machine may start the client slowly.
        string[] cluster = ["--cluster", "--gateway-port", $"{gateway}", "--cluster-id", clusterId, "--service-id", clusterId, "--connect-timeout", "60"];
        var start = await silo.Client.StartRunAsync("long", new() { Objective = "toy", Optimizer = "bohb", MinBudget = 9, MaxBudget = 243, Iterations = 4, Seed = 2, SleepSeconds = 0.2 });
        Assert.True(start.Accepted, start.Error);

        var (exit, output, error) = CliRunner.Run(["cancel", "long", "--json", .. cluster]);
        Assert.True(exit == 0, $"cancel exited with {exit}: {error}");
        var cancelled = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("cancelled", (string?)cancelled["state"]);
        Assert.Equal("long", (string?)cancelled["run_id"]);
        Assert.Equal(HpBandSter.Orleans.Runs.RunState.Cancelled, (await silo.Client.GetStatusAsync("long")).State);

        var (again, againOutput, _) = CliRunner.Run(["cancel", "long", .. cluster]);
        Assert.Equal(0, again);
        Assert.Contains("already cancelled", againOutput);

        var (watched, watchOutput, watchError) = CliRunner.Run(["watch", "long", .. cluster]);
        Assert.Equal(WatchCommand.RunCancelled, watched);
        Assert.StartsWith("watching run long: bohb on toy, 4 iterations, seed 2,", watchOutput);
        Assert.Contains("Run long was cancelled after", watchOutput); // the summary, as run prints it
        Assert.Contains("Run long was cancelled ('hpbandster resume long' continues it).", watchError);
    }
}
