using HpBandSter.Logs;
using HpBandSter.Results;

namespace HpBandSter.Tests.Logs;

/// <summary>Structural comparison of two results (JSON nodes compared through their Python serialization).</summary>
internal static class ResultAssert
{
    public static void Equal(OptimizationResult expected, OptimizationResult actual, double timeTolerance = 0)
    {
        Assert.Equal(expected.Settings.MinBudget, actual.Settings.MinBudget);
        Assert.Equal(expected.Settings.MaxBudget, actual.Settings.MaxBudget);
        Assert.Equal(expected.Settings.Budgets, actual.Settings.Budgets);
        Assert.Equal(expected.Settings.Eta, actual.Settings.Eta);
        Assert.Equal(expected.Settings.TimeRef, actual.Settings.TimeRef);
        Assert.Equal(expected.ConfigCount, actual.ConfigCount);
        for (var i = 0; i < expected.ConfigCount; i++)
        {
            var e = expected.Configs[i];
            var a = actual.Configs[i];
            Assert.Equal(e.Id, a.Id);
            Assert.Equal(e.Config, a.Config);
            Assert.Equal(e.Config.Keys, a.Config.Keys);
            Assert.Equal(e.Config.Values.Select(v => v.GetType()), a.Config.Values.Select(v => v.GetType()));
            Assert.Equal(PythonJson.Serialize(e.Info), PythonJson.Serialize(a.Info));
        }

        var expectedRuns = expected.GetAllRuns();
        var actualRuns = actual.GetAllRuns();
        Assert.Equal(expectedRuns.Count, actualRuns.Count);
        for (var i = 0; i < expectedRuns.Count; i++)
        {
            var e = expectedRuns[i];
            var a = actualRuns[i];
            Assert.Equal(e.ConfigId, a.ConfigId);
            Assert.Equal(e.Budget, a.Budget);
            Assert.Equal(e.Loss, a.Loss);
            Assert.Equal(PythonJson.Serialize(e.Info), PythonJson.Serialize(a.Info));
            Assert.Equal(e.ErrorLogs, a.ErrorLogs);
            Assert.Equal(e.TimeStamps.Submitted, a.TimeStamps.Submitted, timeTolerance);
            Assert.Equal(e.TimeStamps.Started, a.TimeStamps.Started, timeTolerance);
            Assert.Equal(e.TimeStamps.Finished, a.TimeStamps.Finished, timeTolerance);
        }
    }
}
