// HpBandSter's example 2 ("local and parallel using threads") in C#: one process, one silo with N evaluation slots
// (HpBandSter starts N worker threads), MyWorker sleeping a little per evaluation so the speed-up shows in the
// wall-clock time, then HpBandSter's Step-5 summary.
//
//   dotnet run --project examples/quickstart-threads [-- --workers 4 --sleep 0.1 --iterations 4 --seed 1]
using System.Diagnostics;
using System.Globalization;
using HpBandSter.Examples;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

ExampleArguments arguments;
int workers, iterations, seed;
double sleep;
try
{
    arguments = ExampleArguments.Parse(args, ["--workers", "--sleep", "--iterations", "--seed", "--data-dir"]);
    workers = arguments.Get("--workers", 4);
    sleep = arguments.Get("--sleep", 0.1);
    iterations = arguments.Get("--iterations", 4);
    seed = arguments.Get("--seed", 1);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var dataDirectory = arguments.Get("--data-dir", "hpbandster-data");

// Steps 1 and 2: one silo is the cluster and the worker; its N slots evaluate N configurations at once
// (HpBandSter: N MyWorker threads sharing one nameserver).
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);   // its first check measures from an unset time
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort: LoopbackPorts.Free(), gatewayPort: 0)
    .AddHpBandSter(o => o.DataDirectory = dataDirectory)
    .AddHpBandSterWorker(o => o.Slots = workers)                            // N evaluations at once, on thread-pool threads
    .AddObjective("my-worker", _ => new MyWorker(TimeSpan.FromSeconds(sleep))));
using var host = builder.Build();
await host.StartAsync();

// Step 3: run BOHB. The run keeps every slot busy: it asks the optimizer for more jobs while slots are free.
var client = host.Services.GetRequiredService<HpBandSterClient>();
var runId = $"quickstart-threads-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}";
var clock = Stopwatch.StartNew();
var started = await client.StartRunAsync(runId, new RunSpec
{
    Objective = "my-worker",
    Optimizer = "bohb",
    MinBudget = 9,
    MaxBudget = 243,
    Iterations = iterations,
    Seed = seed,
});
if (!started.Accepted)
{
    Console.Error.WriteLine($"The run was refused: {started.Error}");
    return 1;
}

Console.WriteLine($"run {runId}: bohb on my-worker, budgets 9..243, {iterations} iterations, seed {seed}, {workers} slots, sleep {sleep.ToString(CultureInfo.InvariantCulture)} s per evaluation");
var status = await client.WaitForEndAsync(runId);
var elapsed = clock.Elapsed;
var result = await client.GetResultAsync(runId);

// Step 4: stop the services (the run stays journaled in <data dir>/runs.db).
await host.StopAsync();

// Step 5: analysis, and the speed-up: one slot would need about runs x sleep seconds.
Step5.Print(result, Console.Out);
var sequential = result.RunCount * sleep;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Wall-clock time: {elapsed.TotalSeconds:0.0} s with {workers} {(workers == 1 ? "slot" : "slots")}; one slot would sleep {sequential:0.0} s alone ({result.RunCount} evaluations x {sleep} s)."));
return status.State == RunState.Completed ? 0 : 1;
