using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Orleans.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RunGrainTests(ClusterFixture fixture)
{
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

        var status = await fixture.RunToEndAsync(runId, spec);

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        var expected = RunAssert.CoreRun(spec);
        var actual = await fixture.Client.GetResultAsync(runId);
        RunAssert.SameRecord(expected, actual);
        Assert.Equal(expected.GetIncumbentId(), actual.GetIncumbentId());
        Assert.All(actual.GetAllRuns(), r => Assert.True(
            r.TimeStamps.Submitted >= 0 && r.TimeStamps.Submitted <= r.TimeStamps.Started && r.TimeStamps.Started <= r.TimeStamps.Finished && r.TimeStamps.Finished <= status.ElapsedSeconds,
            $"timestamps of {r.ConfigId} on {r.Budget}: {r.TimeStamps}, run took {status.ElapsedSeconds} s"));
        Assert.Equal(expected.GetIncumbentRun()!.Loss, status.Incumbent!.Loss);
    }
}
