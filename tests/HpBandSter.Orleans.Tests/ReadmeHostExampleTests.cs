using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Spaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace HpBandSter.Orleans.Tests;

/// <summary>The README's custom-host example (a silo with its own objective, and a run on it), kept compiling and working.</summary>
public sealed class ReadmeHostExampleTests
{
    [Fact]
    public async Task The_readme_host_example_runs_an_optimization_on_a_registered_objective()
    {
        var space = new SearchSpaceBuilder()
            .Float("lr", 1e-6, 1e-1, log: true)
            .Integer("num_layers", 1, 3)
            .Build();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "hpb-readme-" + Guid.NewGuid().ToString("N"));
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort(), FreePort())
            .AddHpBandSter(o => o.DataDirectory = dataDirectory)    // runs.db and job directories (default ./hpbandster-data)
            .AddHpBandSterWorker(o => o.Slots = 4)
            .AddObjective("my-model", async (config, budget, context) =>
            {
                var loss = await TrainAsync(config, budget, context.CancellationToken);
                return new ObjectiveResult(loss, new JsonObject { ["epochs"] = budget });
            }, space));
        var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<HpBandSterClient>();
        var started = await client.StartRunAsync("my-run", new RunSpec { Objective = "my-model", MinBudget = 1, MaxBudget = 27, Iterations = 4, Seed = 1 });
        Assert.True(started.Accepted, started.Error);
        using var deadline = new CancellationTokenSource(ClusterFixture.Deadline);
        var status = await client.WaitForEndAsync("my-run", cancellationToken: deadline.Token);
        var result = await client.GetResultAsync("my-run");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, result.RunCount);
        Assert.NotNull(result.GetIncumbentId());
        Assert.All(result.GetAllRuns(), r => Assert.Equal(r.Budget, r.Info!["epochs"]!.GetValue<double>()));
        await host.StopAsync();
        host.Dispose();
        Directory.Delete(dataDirectory, recursive: true);
    }

    private static async Task<double> TrainAsync(Configuration config, double budget, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Math.Abs(Math.Log10(config.GetDouble("lr")) + 3) + (0.1 * config.GetInt64("num_layers")) + (1.0 / budget);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
