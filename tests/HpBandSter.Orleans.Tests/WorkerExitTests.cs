using System.Net;
using System.Net.Sockets;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace HpBandSter.Orleans.Tests;

/// <summary>
/// Worker silos that leave by themselves: HpBandSter's <c>Worker(timeout=…)</c> (<see cref="WorkerOptions.IdleTimeout"/>)
/// and <c>shutdown(shutdown_workers=True)</c> (<see cref="RunSpec.ShutdownWorkers"/> with <see cref="WorkerOptions.ExitWhenRunsEnd"/>).
/// Each test hosts its own silo, since it is meant to stop.
/// </summary>
public sealed class WorkerExitTests
{
    private static readonly RunSpec Toy = new() { Objective = "toy", Optimizer = "hyperband", MinBudget = 9, MaxBudget = 81, Iterations = 1, Seed = 3 };

    [Fact]
    public async Task A_worker_silo_idle_for_its_idle_timeout_stops_by_itself()
    {
        await using var silo = await TestSilo.StartAsync(o => o.IdleTimeout = TimeSpan.FromSeconds(1));

        await silo.WaitForStoppingAsync("the idle worker stops after 1 s");
    }

    [Fact]
    public async Task A_worker_mode_silo_stops_when_a_run_that_shuts_down_its_workers_ends_after_evaluating_it()
    {
        await using var silo = await TestSilo.StartAsync(o => o.ExitWhenRunsEnd = true);
        var client = silo.Client;

        // A run that does not ask for it leaves the worker running: the second run is evaluated by the same silo.
        await silo.RunToEndAsync("keeps-workers", Toy);
        Assert.False(silo.Stopping, "the worker stopped after a run that did not ask it to");

        var status = await silo.RunToEndAsync("shuts-down-workers", Toy with { ShutdownWorkers = true, Seed = 4 });

        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        await silo.WaitForStoppingAsync("the worker-mode silo stops after the run that shuts down its workers");
    }

    [Fact]
    public void A_shared_silo_ignores_a_run_ending_that_shuts_down_workers()
    {
        using var services = new ServiceCollection().AddLogging().AddOptions().BuildServiceProvider();
        var exit = new WorkerExit(null!, Microsoft.Extensions.Options.Options.Create(new WorkerOptions { ExitWhenRunsEnd = false }), services, services.GetRequiredService<ILogger<WorkerExit>>());

        exit.RunEnded("some-run");

        Assert.False(exit.StopPending);
    }

    /// <summary>One silo with one slot and the built-in objectives, in a host of its own.</summary>
    private sealed class TestSilo : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly string _dataDirectory;

        private TestSilo(IHost host, string dataDirectory)
        {
            _host = host;
            _dataDirectory = dataDirectory;
        }

        public HpBandSterClient Client => _host.Services.GetRequiredService<HpBandSterClient>();

        public bool Stopping => _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;

        public static async Task<TestSilo> StartAsync(Action<WorkerOptions> worker)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var dataDirectory = Path.Combine(Path.GetTempPath(), "hpb-worker-exit-" + Guid.NewGuid().ToString("N"));
            builder.UseOrleans(silo => silo
                .UseLocalhostClustering(FreePort(), FreePort())
                .AddHpBandSter(o => o.DataDirectory = dataDirectory)
                .AddHpBandSterWorker(o =>
                {
                    o.Slots = 1;
                    worker(o);
                })
                .AddBuiltInObjectives());
            var host = builder.Build();
            await host.StartAsync();
            return new TestSilo(host, dataDirectory);
        }

        public async Task<RunStatus> RunToEndAsync(string runId, RunSpec spec)
        {
            var started = await Client.StartRunAsync(runId, spec);
            Assert.True(started.Accepted, started.Error);
            using var deadline = new CancellationTokenSource(ClusterFixture.Deadline);
            var status = await Client.WaitForEndAsync(runId, cancellationToken: deadline.Token);
            Assert.Equal(RunState.Completed, status.State);
            return status;
        }

        public async Task WaitForStoppingAsync(string what)
        {
            var stopping = _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var registration = stopping.Register(() => signalled.TrySetResult());
            var finished = await Task.WhenAny(signalled.Task, Task.Delay(ClusterFixture.Deadline));
            Assert.True(finished == signalled.Task, $"Timed out after {ClusterFixture.Deadline.TotalSeconds} s waiting until {what}.");
        }

        public async ValueTask DisposeAsync()
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(stop.Token);
            _host.Dispose();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
