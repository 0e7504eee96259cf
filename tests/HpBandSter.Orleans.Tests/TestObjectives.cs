using System.Text.Json.Nodes;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Spaces;
using Orleans.Hosting;

namespace HpBandSter.Orleans.Tests;

/// <summary>Objectives that misbehave on purpose, registered on the test silos.</summary>
internal static class TestObjectives
{
    public static ConfigurationSpace Space { get; } = new SearchSpaceBuilder().Float("x", 0, 1).Build();

    /// <summary>Opened by a test to let every "gated" evaluation finish (in-process silos share it).</summary>
    public static TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Opened by a test to let every "gated-jobs" evaluation finish.</summary>
    public static TaskCompletionSource JobGate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>"run/job attempt" of every "gated-jobs" evaluation that started.</summary>
    public static System.Collections.Concurrent.ConcurrentQueue<string> JobStarts { get; } = new();

    /// <summary>Run ids of "counted" evaluations in the order they started.</summary>
    public static System.Collections.Concurrent.ConcurrentQueue<string> Starts { get; } = new();

    public static void Register(ISiloBuilder silo)
    {
        // Throws for x < 0.5, else loss x.
        silo.AddObjective("throws", (config, budget, _) =>
            config.GetDouble("x") < 0.5 ? throw new InvalidOperationException("objective failed on purpose") : ValueTask.FromResult(new ObjectiveResult(config.GetDouble("x"), new JsonObject { ["ok"] = true })), Space);

        // NaN for x < 0.5, +inf for x > 0.9, else loss x.
        silo.AddObjective("nan", (config, budget) => config.GetDouble("x") switch
        {
            < 0.5 => double.NaN,
            > 0.9 => double.PositiveInfinity,
            var x => x,
        }, Space);

        // Waits for its cancellation token on the largest budget; returns at once otherwise.
        silo.AddObjective("hangs", async (config, budget, context) =>
        {
            if (budget >= 9)
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }

            return new ObjectiveResult(config.GetDouble("x"));
        }, Space);

        // Waits until the test opens the gate (or the evaluation is cancelled); for killing silos mid-evaluation.
        silo.AddObjective("gated", async (config, budget, context) =>
        {
            await Gate.Task.WaitAsync(context.CancellationToken);
            return new ObjectiveResult(config.GetDouble("x"));
        }, Space);

        // Records each evaluation's run, job and attempt, then waits until the test opens its gate.
        silo.AddObjective("gated-jobs", async (config, budget, context) =>
        {
            JobStarts.Enqueue($"{context.RunId}/{context.Job} a{context.Attempt}");
            await JobGate.Task.WaitAsync(context.CancellationToken);
            return new ObjectiveResult(config.GetDouble("x"));
        }, Space);

        // Records which run each evaluation belongs to, in the order they start; for fairness between runs.
        silo.AddObjective("counted", (config, budget, context) =>
        {
            Starts.Enqueue(context.RunId);
            return ValueTask.FromResult(new ObjectiveResult(config.GetDouble("x")));
        }, Space);

        // Never returns until cancelled; for cancelling a run mid-flight.
        silo.AddObjective("forever", async (config, budget, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new ObjectiveResult(0);
        }, Space);
    }
}
