// HpBandSter's example 3 ("local and parallel using processes") in C#: the same program started once as the
// optimizer and twice as a worker. The optimizer is the primary silo of a localhost cluster, with no evaluation slots
// of its own; each worker is a silo that joins it, evaluates MyWorker in one slot, and leaves by itself when the run
// ends (RunSpec.ShutdownWorkers with WorkerOptions.ExitWhenRunsEnd), or after --idle-timeout seconds without work.
//
//   dotnet run --project examples/quickstart-processes -- --port-base 11111               (the optimizer, first)
//   dotnet run --project examples/quickstart-processes -- --worker --port-base 11111      (twice, in other shells)
using System.Diagnostics;
using System.Globalization;
using System.Net;
using HpBandSter.Examples;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime;

ExampleArguments arguments;
int portBase, iterations, seed, workers, slots;
double sleep, idleTimeout, waitForWorkers;
try
{
    arguments = ExampleArguments.Parse(
        args,
        ["--port-base", "--iterations", "--seed", "--workers", "--slots", "--sleep", "--idle-timeout", "--wait-for-workers", "--data-dir"],
        ["--worker"]);
    portBase = arguments.Get("--port-base", 11111);
    iterations = arguments.Get("--iterations", 4);
    seed = arguments.Get("--seed", 1);
    workers = arguments.Get("--workers", 2);               // optimizer: how many worker slots to wait for (min_n_workers)
    slots = arguments.Get("--slots", 1);                   // worker: evaluation slots of this worker process
    sleep = arguments.Get("--sleep", 0.1);                 // worker: MyWorker's sleep per evaluation, seconds
    idleTimeout = arguments.Get("--idle-timeout", 60.0);   // worker: leave after this long without an evaluation
    waitForWorkers = arguments.Get("--wait-for-workers", 120.0);   // optimizer: give up (cancel the run) after this long
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var dataDirectory = arguments.Get("--data-dir", "hpbandster-data");
const string Cluster = "hpbandster-quickstart-processes";
var primary = new IPEndPoint(IPAddress.Loopback, portBase);

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);   // its first check measures from an unset time
builder.Logging.AddFilter("Polly", LogLevel.Error);                       // retried placements while a worker joins
builder.Logging.AddFilter("HpBandSter.Orleans.Runs.ClusterDirectory", LogLevel.Error);   // workers leaving at the end
builder.Logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Error);   // a worker's attempts while the optimizer is not up yet

if (arguments.Has("--worker"))
{
    // Step 2: start a worker. A silo that joins the optimizer's cluster (the primary silo's endpoint) and offers
    // MyWorker in its slots; it stops by itself when a run that shuts down its workers ends, or when idle too long.
    var worker = new MyWorker(TimeSpan.FromSeconds(sleep));
    builder.UseOrleans(silo => silo
        .UseLocalhostClustering(siloPort: LoopbackPorts.Free(), gatewayPort: 0, primarySiloEndpoint: primary, serviceId: Cluster, clusterId: Cluster)
        .AddHpBandSter(o => o.DataDirectory = dataDirectory)
        .AddHpBandSterWorker(o =>
        {
            o.Slots = slots;
            o.ExitWhenRunsEnd = true;                                 // HpBandSter's shutdown(shutdown_workers=True)
            o.IdleTimeout = TimeSpan.FromSeconds(idleTimeout);        // HpBandSter's Worker(timeout=...)
        })
        .AddObjective("my-worker", _ => worker));
    using var workerHost = builder.Build();
    try
    {
        await workerHost.StartAsync();
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        Console.Error.WriteLine($"worker {Environment.ProcessId}: could not join the cluster at {primary} (start the optimizer first): {e.Message}");
        Environment.Exit(1);   // not `return`: disposing a silo that never joined can wait for long
    }

    Console.WriteLine($"worker {Environment.ProcessId}: joined the cluster at {primary} with {slots} {(slots == 1 ? "slot" : "slots")}");
    await workerHost.WaitForShutdownAsync();                          // returns when the silo stops itself (or on Ctrl+C)
    Console.WriteLine($"worker {Environment.ProcessId}: evaluated {worker.Evaluations} configurations; left the cluster");
    return 0;
}

// Step 1: start the cluster. The optimizer's process is the primary silo of the localhost cluster: it hosts the run
// and registers MyWorker (so the run knows the objective and its search space) but has no slots to evaluate it.
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort: portBase, gatewayPort: 0, primarySiloEndpoint: primary, serviceId: Cluster, clusterId: Cluster)
    .AddHpBandSter(o => o.DataDirectory = dataDirectory)
    .AddHpBandSterWorker(o => o.Slots = 0)
    .AddObjective("my-worker", _ => new MyWorker(TimeSpan.Zero)));
using var host = builder.Build();
await host.StartAsync();

// Step 3: run BOHB once enough workers have joined (HpBandSter's run(n_iterations, min_n_workers)).
var client = host.Services.GetRequiredService<HpBandSterClient>();
var runId = $"quickstart-processes-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}";
var clock = Stopwatch.StartNew();
var started = await client.StartRunAsync(runId, new RunSpec
{
    Objective = "my-worker",
    Optimizer = "bohb",
    MinBudget = 9,
    MaxBudget = 243,
    Iterations = iterations,
    Seed = seed,
    MinSlots = workers,                                               // nothing is dispatched before this many slots
    MinSlotsTimeout = TimeSpan.FromSeconds(waitForWorkers),           // then the run is cancelled (resumably)
    ShutdownWorkers = true,                                           // worker-mode silos leave when the run ends
});
if (!started.Accepted)
{
    Console.Error.WriteLine($"The run was refused: {started.Error}");
    return 1;
}

Console.WriteLine($"run {runId}: bohb on my-worker, budgets 9..243, {iterations} iterations, seed {seed}");
Console.WriteLine($"optimizer: primary silo on {primary}; waiting for {workers} worker slots. Start workers with:");
Console.WriteLine($"  dotnet run --project examples/quickstart-processes -- --worker --port-base {portBase}");
var lastSlots = 0;
var status = await client.WaitForEndAsync(runId, onProgress: s =>
{
    if (s.SlotsAvailable != lastSlots)
    {
        lastSlots = s.SlotsAvailable;
        Console.WriteLine($"optimizer: {s.SlotsAvailable} worker {(s.SlotsAvailable == 1 ? "slot" : "slots")} available, {s.Finished}/{s.EvaluationsPlanned} evaluations finished");
    }
});
var elapsed = clock.Elapsed;
var result = await client.GetResultAsync(runId);

// Step 4: stop the services. The workers leave by themselves (ShutdownWorkers); the optimizer waits for them (so
// they can leave the cluster gracefully while its primary silo still runs), then stops. The run stays journaled.
await WaitForWorkersToLeaveAsync(host.Services.GetRequiredService<IClusterMembershipService>(), TimeSpan.FromSeconds(30));
await host.StopAsync();

// Step 5: analysis.
Step5.Print(result, Console.Out);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wall-clock time: {elapsed.TotalSeconds:0.0} s."));
return status.State == RunState.Completed ? 0 : 1;

static async Task WaitForWorkersToLeaveAsync(IClusterMembershipService membership, TimeSpan timeout)
{
    using var deadline = new CancellationTokenSource(timeout);
    try
    {
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(deadline.Token))
        {
            var others = snapshot.Members.Values.Count(m => m.Status is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping) - 1;
            if (others <= 0)
            {
                return;
            }
        }
    }
    catch (OperationCanceledException) when (deadline.IsCancellationRequested)
    {
        Console.WriteLine($"optimizer: workers still in the cluster after {timeout.TotalSeconds:0} s; stopping anyway");
    }
}
