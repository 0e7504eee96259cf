using HpBandSter.Orleans.Runs;

namespace HpBandSter.Orleans.Tests;

/// <summary>Objectives that throw, return NaN or infinite losses, or hang past the run's per-job timeout.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FailureTests(ClusterFixture fixture)
{
    private static RunSpec Spec(string objective) => new()
    {
        Objective = objective,
        Optimizer = "hyperband",
        MinBudget = 1,
        MaxBudget = 9,
        Iterations = 3,
        Seed = 3,
    };

    [Fact]
    public async Task An_exception_is_recorded_as_a_crashed_run_with_its_text_and_the_run_goes_on()
    {
        var status = await fixture.RunToEndAsync("throws-1", Spec("throws"));
        var result = await fixture.Client.GetResultAsync("throws-1");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, result.RunCount);
        var crashed = result.GetAllRuns().Where(r => r.ErrorLogs is not null).ToList();
        Assert.NotEmpty(crashed);
        Assert.All(crashed, r =>
        {
            Assert.Null(r.Loss);
            Assert.Contains("objective failed on purpose", r.ErrorLogs, StringComparison.Ordinal);
            Assert.True(result[r.ConfigId].Config.GetDouble("x") < 0.5);
        });
        Assert.All(result.GetAllRuns().Where(r => r.ErrorLogs is null), r => Assert.Equal(result[r.ConfigId].Config.GetDouble("x"), r.Loss));
        Assert.Equal(crashed.Count, status.Crashed);
    }

    [Fact]
    public async Task NaN_and_infinite_losses_are_recorded_as_crashed()
    {
        var status = await fixture.RunToEndAsync("nan-1", Spec("nan"));
        var result = await fixture.Client.GetResultAsync("nan-1");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, result.RunCount);
        var nonFinite = result.GetAllRuns().Where(r => r.Loss is { } l && !double.IsFinite(l)).ToList();
        Assert.NotEmpty(nonFinite);
        Assert.All(nonFinite, r => Assert.True(r.IsCrashed));
        Assert.Equal(nonFinite.Count, status.Crashed);
        if (status.Incumbent is { } incumbent)
        {
            Assert.True(double.IsFinite(incumbent.Loss));
        }
    }

    [Fact]
    public async Task A_job_past_the_per_job_timeout_is_cancelled_and_recorded_as_a_timeout()
    {
        var spec = Spec("hangs") with { JobTimeout = TimeSpan.FromMilliseconds(200), Iterations = 1 };
        var status = await fixture.RunToEndAsync("hangs-1", spec);
        var result = await fixture.Client.GetResultAsync("hangs-1");

        Assert.Equal(RunState.Completed, status.State);
        Assert.Equal(status.EvaluationsPlanned, result.RunCount);
        var timedOut = Assert.Single(result.GetAllRuns(), r => r.Budget >= 9);
        Assert.Null(timedOut.Loss);
        Assert.Contains("Timed out", timedOut.ErrorLogs, StringComparison.Ordinal);
        Assert.All(result.GetAllRuns().Where(r => r.Budget < 9), r => Assert.Null(r.ErrorLogs));
    }
}
