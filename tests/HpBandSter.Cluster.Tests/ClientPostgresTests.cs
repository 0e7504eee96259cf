using System.Diagnostics;
using System.Text.Json.Nodes;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// The <c>hpbandster</c> client on a PostgreSQL-clustered cluster (<c>--postgres</c>, or HPBANDSTER_POSTGRES): run,
/// watch and cancel find the gateways in PostgreSQL; refused credentials are reported without the password.
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class ClientPostgresTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunWatchAndCancelReachAClusterThroughPostgres()
    {
        await using var database = await TestPostgres.CreateAsync();
        var data = Path.Combine(Path.GetTempPath(), "hpb-client-pg-" + Guid.NewGuid().ToString("N"));
        var clusterId = "client-pg-" + Guid.NewGuid().ToString("N")[..8];
        var ports = LoopbackPorts.Free(2);
        try
        {
            using var silo = SiloProcess.StartPostgresSilo("pg-silo", ports[0], ports[1], clusterId, 2, "toy", data, database.ConnectionString);
            var clock = Stopwatch.StartNew();
            await silo.WaitReadyAsync(Timeout);
            output.WriteLine($"silo ready after {clock.Elapsed.TotalSeconds:0.0} s");
            string[] ids = ["--cluster-id", clusterId, "--service-id", clusterId];

            var run = await RunAsync(["run", "--postgres", database.ConnectionString, "--optimizer", "hyperband", "--iterations", "1", "--seed", "5", "--run-id", "pg-run", "--json", .. ids]);
            Assert.True(run.Exit == 0, $"run exited with {run.Exit}: {run.Stderr}");
            Assert.Equal("completed", (string?)JsonNode.Parse(run.Stdout)!["state"]);

            // HPBANDSTER_POSTGRES stands for --postgres.
            var watch = await RunAsync(["watch", "pg-run", .. ids], new() { ["HPBANDSTER_POSTGRES"] = database.ConnectionString });
            Assert.True(watch.Exit == 0, $"watch exited with {watch.Exit}: {watch.Stderr}");
            Assert.Contains("watching run pg-run: hyperband on toy", watch.Stdout);
            Assert.True(watch.Stdout.Contains($"cluster '{clusterId}' via PostgreSQL at 127.0.0.1:", StringComparison.Ordinal), watch.Stdout);
            Assert.Contains("A total of 40 runs were executed.", watch.Stdout);

            var cancel = await RunAsync(["cancel", "pg-run", "--postgres", database.ConnectionString, .. ids]);
            Assert.True(cancel.Exit == 0, $"cancel exited with {cancel.Exit}: {cancel.Stderr}");
            Assert.Contains("run pg-run: already completed (40 of 40 evaluations); nothing to cancel.", cancel.Stdout);

            // A role whose password is wrong: a clear error that names where, never the password.
            var role = await database.CreateRoleAsync("right-password");
            var refused = await RunAsync(["watch", "pg-run", "--postgres", database.ConnectionStringFor(role, "wrong-sekret"), "--connect-timeout", "5", .. ids]);
            Assert.Equal(1, refused.Exit);
            Assert.Contains($"cannot connect to the cluster '{clusterId}'", refused.Stderr);
            Assert.Contains("through PostgreSQL at 127.0.0.1:", refused.Stderr);
            Assert.DoesNotContain("wrong-sekret", refused.Stderr + refused.Stdout);
        }
        finally
        {
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>Runs hpbandster.dll (next to this assembly) to its end with only the given HPBANDSTER_* variables.</summary>
    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, Dictionary<string, string>? environment = null) =>
        CliProcess.RunToEndAsync(args, environment, Timeout, output);
}
