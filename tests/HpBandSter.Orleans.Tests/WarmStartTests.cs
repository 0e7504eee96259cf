using HpBandSter.Logs;
using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Orleans.Core.Internal;

namespace HpBandSter.Orleans.Tests;

/// <summary>Runs seeded with an earlier run's results (HpBandSter's <c>previous_result</c>).</summary>
[Collection(ClusterCollection.Name)]
public sealed class WarmStartTests(ClusterFixture fixture)
{
    private static RunSpec OneAtATime(string optimizer, int iterations, long seed) => new()
    {
        Objective = "branin",
        Optimizer = optimizer,
        MinBudget = BenchmarkObjectives.Get("branin").MinBudget,
        MaxBudget = BenchmarkObjectives.Get("branin").MaxBudget,
        Iterations = iterations,
        Seed = seed,
        DynamicQueueSize = false,
        JobQueueMin = 0,
        JobQueueMax = 1,
    };

    private static WarmStartSpec LogsOf(HpBandSter.Results.OptimizationResult result, string source)
    {
        var directory = Directory.CreateTempSubdirectory("hpbandster-warm-");
        try
        {
            HpBandSterLogWriter.Export(result, directory.FullName);
            return new WarmStartSpec
            {
                Source = source,
                ConfigsJson = File.ReadAllText(Path.Combine(directory.FullName, HpBandSterLogFiles.Configs)),
                ResultsJson = File.ReadAllText(Path.Combine(directory.FullName, HpBandSterLogFiles.Results)),
            };
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_warm_started_run_equals_the_core_optimizer_seeded_with_the_same_results_and_keeps_them_as_iteration_minus_one()
    {
        var previous = RunAssert.CoreRun(OneAtATime("hyperband", 2, 21));
        var spec = OneAtATime("bohb", 2, 22) with { WarmStart = LogsOf(previous, "earlier-run") };

        var status = await fixture.RunToEndAsync("warm-bohb", spec);
        var result = await fixture.Client.GetResultAsync("warm-bohb");

        Assert.Equal("earlier-run", status.WarmStartSource);
        Assert.Equal(previous.RunCount, status.WarmStartRuns);
        Assert.Null(status.Spec!.WarmStart);
        Assert.Equal(status.EvaluationsPlanned, status.Finished);
        var own = new HpBandSter.Results.OptimizationResult(
            result.Configs.Where(c => c.Id.Iteration >= 0), result.GetAllRuns().Where(r => r.ConfigId.Iteration >= 0), result.Settings);
        var expected = RunAssert.CoreRun(spec);
        RunAssert.SameRecord(expected, own);
        Assert.NotEqual(RunAssert.CoreRun(spec with { WarmStart = null }).GetAllRuns().Select(r => r.Loss), own.GetAllRuns().Select(r => r.Loss));

        var warm = result.Configs.Where(c => c.Id.Iteration == -1).ToList();
        Assert.Equal(previous.ConfigCount, warm.Count);
        Assert.Equal(previous.Configs.Select(c => c.Config), warm.Select(c => c.Config));
        var warmRuns = result.GetAllRuns().Where(r => r.ConfigId.Iteration == -1).ToList();
        Assert.Equal(previous.RunCount, warmRuns.Count);
        Assert.All(warmRuns, r => Assert.True(r.TimeStamps.Finished <= 1e-9, $"warm-start run {r.ConfigId} finishes at {r.TimeStamps.Finished}, after the new run's start"));
    }

    [Fact]
    public async Task A_warm_started_run_rebuilt_from_its_journal_is_seeded_the_same_way()
    {
        var previous = RunAssert.CoreRun(OneAtATime("randomsearch", 3, 23));
        var spec = OneAtATime("bohb", 2, 24) with { WarmStart = LogsOf(previous, "random") };
        Assert.True((await fixture.Client.StartRunAsync("warm-replayed", spec)).Accepted);
        var grain = fixture.Cluster.GrainFactory.GetGrain<IRunGrain>("warm-replayed");
        await fixture.WaitUntilAsync("warm-replayed", s => s.Finished >= 6, "6 results");
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        await fixture.WaitAsync("warm-replayed");
        var stored = (await ClusterFixture.Store.ReadRunAsync("warm-replayed"))!;

        var own = stored.Result.GetAllRuns().Where(r => r.ConfigId.Iteration >= 0).ToList();
        Assert.Equal(RunAssert.CoreRun(spec).GetAllRuns().Select(r => (r.ConfigId, r.Budget, r.Loss)), own.Select(r => (r.ConfigId, r.Budget, r.Loss)));
        Assert.Equal(previous.RunCount, stored.Result.GetAllRuns().Count(r => r.ConfigId.Iteration == -1));
    }

    [Fact]
    public async Task Warm_start_data_from_another_search_space_is_refused_naming_the_configuration()
    {
        var previous = RunAssert.CoreRun(OneAtATime("hyperband", 1, 25) with { Objective = "toy", MinBudget = 9, MaxBudget = 243 });
        var spec = OneAtATime("bohb", 1, 26) with { WarmStart = LogsOf(previous, "toy-run") };

        var start = await fixture.Client.StartRunAsync("warm-wrong-space", spec);

        Assert.False(start.Accepted);
        Assert.StartsWith("WarmStart:", start.Error, StringComparison.Ordinal);
        Assert.Contains("toy-run", start.Error, StringComparison.Ordinal);
        Assert.Contains("search space", start.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_warm_start_logs_are_refused_naming_the_line()
    {
        var spec = OneAtATime("bohb", 1, 27) with { WarmStart = new WarmStartSpec { Source = "broken", ConfigsJson = "[[0, 0, 0], {\"x0\": 1.0}, {}]\n", ResultsJson = "not json\n" } };

        var start = await fixture.Client.StartRunAsync("warm-broken", spec);

        Assert.False(start.Accepted);
        Assert.StartsWith("WarmStart:", start.Error, StringComparison.Ordinal);
        Assert.Contains("broken: results.json", start.Error, StringComparison.Ordinal);
        Assert.Contains("line 1", start.Error, StringComparison.Ordinal);
    }
}
