using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Orleans.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RunGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    public static TheoryData<string, string> OptimizerAndObjective()
    {
        var data = new TheoryData<string, string>();
        foreach (var optimizer in new[] { "bohb", "hyperband" })
        {
            foreach (var problem in BenchmarkObjectives.All)
            {
                data.Add(optimizer, problem.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OptimizerAndObjective))]
    public async Task A_one_slot_run_records_the_planned_evaluations_and_equals_the_core_optimizer(string optimizer, string objective)
    {
        var problem = BenchmarkObjectives.Get(objective);
        var spec = new RunSpec
        {
            Objective = objective,
            Optimizer = optimizer,
            MinBudget = problem.MinBudget,
            MaxBudget = problem.MaxBudget,
            Iterations = 4,
            Seed = 7,
            DynamicQueueSize = false,
            JobQueueMin = 0,
            JobQueueMax = 1,
        };
        var runId = $"same-as-core-{optimizer}-{objective}";

        var started = await fixture.Client.StartRunAsync(runId, spec);
        Assert.True(started.Accepted, started.Error);
        var status = await WaitAsync(runId);

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        var expected = RunAssert.CoreRun(spec);
        var actual = await fixture.Client.GetResultAsync(runId);
        RunAssert.SameRecord(expected, actual);
        Assert.Equal(expected.GetIncumbentId(), actual.GetIncumbentId());
        Assert.Equal(expected.GetIncumbentRun()!.Loss, status.Incumbent!.Loss);
    }

    private async Task<RunStatus> WaitAsync(string runId)
    {
        using var cancel = new CancellationTokenSource(Deadline);
        try
        {
            return await fixture.Client.WaitForEndAsync(runId, cancellationToken: cancel.Token);
        }
        catch (OperationCanceledException)
        {
            var status = await fixture.Client.GetStatusAsync(runId);
            Assert.Fail($"Run {runId} did not end within {Deadline}: {status with { Spec = null }}");
            throw;
        }
    }
}
