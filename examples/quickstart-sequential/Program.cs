// HpBandSter's example 1 ("local and sequential") in C#: one process, one silo with ONE evaluation slot, BOHB on
// MyWorker with budgets 9..243, then HpBandSter's Step-5 summary.
//
//   dotnet run --project examples/quickstart-sequential [-- --iterations 4 --seed 1 --data-dir hpbandster-data]
using HpBandSter.Examples;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

ExampleArguments arguments;
try
{
    arguments = ExampleArguments.Parse(args, ["--iterations", "--seed", "--data-dir"]);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var iterations = arguments.Get("--iterations", 4);
var seed = arguments.Get("--seed", 1);
var dataDirectory = arguments.Get("--data-dir", "hpbandster-data");

// Steps 1 and 2: start the cluster and a worker. HpBandSter needs a nameserver and a worker process; here one Orleans
// silo is both: it is the whole (localhost) cluster, it hosts the run, and it evaluates MyWorker in one slot.
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);   // its first check measures from an unset time
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort: LoopbackPorts.Free(), gatewayPort: 0)   // no gateway: the client is in this process
    .AddHpBandSter(o => o.DataDirectory = dataDirectory)                    // runs.db (the run's journal) and job directories
    .AddHpBandSterWorker(o => o.Slots = 1)                                  // ONE slot: evaluations run one after another
    .AddObjective("my-worker", _ => new MyWorker(sleepInterval: TimeSpan.Zero)));
using var host = builder.Build();
await host.StartAsync();

// Step 3: run an optimizer. The search space comes with the objective (MyWorker.GetConfigSpace()).
var client = host.Services.GetRequiredService<HpBandSterClient>();
var runId = $"quickstart-sequential-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}";
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

Console.WriteLine($"run {runId}: bohb on my-worker, budgets 9..243, {iterations} iterations, seed {seed}, 1 slot");
var status = await client.WaitForEndAsync(runId);
var result = await client.GetResultAsync(runId);

// Step 4: stop the services. The run stays journaled in <data dir>/runs.db (`hpbandster list`/`status` read it).
await host.StopAsync();

// Step 5: analysis.
Step5.Print(result, Console.Out);
return status.State == RunState.Completed ? 0 : 1;
