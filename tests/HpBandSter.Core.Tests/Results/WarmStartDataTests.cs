using System.Text.Json.Nodes;
using HpBandSter.Logs;
using HpBandSter.Results;
using HpBandSter.Tests.Logs;

namespace HpBandSter.Tests.Results;

public sealed class WarmStartDataTests
{
    [Fact]
    public void ConfigsAreRenumberedIntoIterationMinusOneInDataOrder()
    {
        var previous = HpBandSterLogReader.LoggedResultsToResult(LogTestFiles.MnistLive);
        var warm = WarmStartData.FromPreviousResult(previous);

        Assert.Equal(19, warm.Configs.Count);
        Assert.Equal(Enumerable.Range(0, 19).Select(i => new ConfigId(-1, 0, i)), warm.Configs.Select(c => c.Id));
        Assert.Equal(new ConfigId(-1, 0, 12), warm.IdMap[new ConfigId(1, 1, 0)]);
        Assert.Equal(previous[new ConfigId(1, 1, 0)].Config, warm.Configs[12].Config);
        Assert.True(warm.Configs[12].ModelBasedPick);
        Assert.Equal(previous.Configs.Select(c => c.Id), warm.IdMap.Keys);
        Assert.Equal(22, warm.Runs.Count);
    }

    [Fact]
    public void TimestampsAreShiftedSoTheLastJobFinishesAtZero()
    {
        var previous = HpBandSterLogReader.LoggedResultsToResult(LogTestFiles.MnistLive);
        var warm = WarmStartData.FromPreviousResult(previous);

        const double lastFinished = 1722.4814054965973;
        Assert.Equal(0.0, warm.Runs.Max(r => r.TimeStamps.Finished));
        var first = warm.Runs.Single(r => r.ConfigId == new ConfigId(-1, 0, 0));
        Assert.Equal(new RunTimestamps(0.0 - lastFinished, 0.0002276897430419922 - lastFinished, 8.14524245262146 - lastFinished), first.TimeStamps);
        Assert.All(warm.Runs, r => Assert.True(r.TimeStamps.Submitted < 0));
    }

    [Fact]
    public void RunsKeepLossesInfoAndErrorLogsUnderTheirNewIds()
    {
        var previous = HpBandSterLogReader.LoggedResultsToResult(LogTestFiles.MnistLive);
        var warm = WarmStartData.FromPreviousResult(previous);

        var crashed = warm.Runs.Single(r => r.ConfigId == warm.IdMap[new ConfigId(0, 0, 4)]);
        Assert.Null(crashed.Loss);
        Assert.StartsWith("Traceback", crashed.ErrorLogs, StringComparison.Ordinal);

        var promoted = warm.Runs.Where(r => r.ConfigId == warm.IdMap[new ConfigId(0, 0, 6)]).ToArray();
        Assert.Equal([1.0, 3.0, 9.0], promoted.Select(r => r.Budget));
        Assert.Equal([0.3017578125, 0.03125, 0.0478515625], promoted.Select(r => r.Loss!.Value));
        Assert.Equal(182520L, promoted[0].Info!["number of parameters"]!.GetValue<long>());
    }

    [Fact]
    public void WarmStartDataMakesAValidResultForTheNewRun()
    {
        var previous = new ResultBuilder()
            .Config(0, 0, 0, modelBased: false).Config(0, 0, 1, modelBased: true)
            .Run(0, 0, 0, 1, 0.5, 10).Run(0, 0, 1, 1, 0.25, 20).Run(0, 0, 1, 9, 0.125, 40)
            .Build();
        const double newTimeRef = 5000;
        var warm = WarmStartData.FromPreviousResult(previous, newTimeRef);
        Assert.Equal(newTimeRef, warm.Runs.Max(r => r.TimeStamps.Finished));

        var combined = new OptimizationResult(warm.Configs, warm.Runs, previous.Settings with { TimeRef = newTimeRef });
        Assert.Equal(new ConfigId(-1, 0, 1), combined.GetIncumbentId());
        Assert.Equal([-30.0, -20.0, 0.0], combined.GetAllRuns().Select(r => r.TimeStamps.Finished));
        Assert.Equal(0, combined.NumIterations());
    }

    [Fact]
    public void PreviousResultIsNotChanged()
    {
        var previous = new ResultBuilder().Config(0, 0, 0, modelBased: true).Run(0, 0, 0, 9, 0.5, 10).Build();
        var warm = WarmStartData.FromPreviousResult(previous);
        warm.Configs[0].Info["model_based_pick"] = false;
        Assert.True(previous[new ConfigId(0, 0, 0)].ModelBasedPick);
        Assert.Equal(10.0, previous.GetAllRuns()[0].TimeStamps.Finished);
    }

    [Fact]
    public void ResultWithoutRunsGivesConfigsOnly()
    {
        var previous = new ResultBuilder().Config(3, 0, 0).Build();
        var warm = WarmStartData.FromPreviousResult(previous);
        Assert.Equal([new ConfigId(-1, 0, 0)], warm.Configs.Select(c => c.Id));
        Assert.Empty(warm.Runs);
        Assert.IsType<JsonObject>(warm.Configs[0].Info);
    }
}
