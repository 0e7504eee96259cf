using HpBandSter.Logs;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using HpBandSter.Results;

namespace HpBandSter.Client.Tests.Analysis;

/// <summary>Keeps README's "Reading results from .NET" example compiling and true.</summary>
public sealed class ReadmeResultExampleTests
{
    [Fact]
    public async Task The_readme_example_reads_logs_and_a_stored_run()
    {
        using var data = new TempDirectory();
        using var exported = new TempDirectory();
        var (exit, _, error) = CliRunner.Run("run", "--objective", "toy", "--optimizer", "hyperband", "--iterations", "1", "--seed", "2", "--run-id", "my-run", "--data-dir", data.Path, "--json");
        Assert.True(exit == 0, error);

        // As in README.md (paths made temporary):
        OptimizationResult result = HpBandSterLogReader.Read(AnalysisData.BohbRun).Result;

        await using var store = new SqliteRunStore(Path.Combine(data.Path, "runs.db"));
        await store.InitializeAsync();
        StoredRunResult? stored = await store.ReadRunAsync("my-run");
        OptimizationResult fromStore = stored!.Result;

        ConfigId? incumbentId = result.GetIncumbentId();
        Run? incumbent = result.GetIncumbentRun();
        var config = result[incumbentId!.Value].Config;
        IncumbentTrajectory trajectory = result.GetIncumbentTrajectory(allBudgets: true, biggerIsBetter: true, nonDecreasingBudget: true);
        IReadOnlyList<Run> runs = result.GetRunsById(incumbentId.Value);
        IReadOnlyList<Run> all = result.GetAllRuns(onlyLargestBudget: false);
        var curves = result.GetLearningCurves();
        var id2config = result.GetId2ConfigMapping();
        var correlations = result.GetCorrelationAcrossBudgets();
        PickCounts picks = result.CountPicks();
        HpBandSterLogWriter.Export(result, exported.Path, overwrite: false);

        Assert.Equal(new ConfigId(1, 0, 3), incumbentId);
        Assert.Equal(0.05, incumbent!.Loss);
        Assert.Equal("SGD", config["optimizer"]);
        Assert.Equal(new ConfigId(1, 0, 3), trajectory.ConfigIds[^1]);
        Assert.Equal([3.0, 9.0], runs.Select(r => r.Budget));
        Assert.Equal(21, all.Count);
        Assert.Equal([new LearningCurvePoint(3.0, 0.13), new LearningCurvePoint(9.0, 0.05)], curves[incumbentId.Value][0]);
        Assert.Equal(13, id2config.Count);
        Assert.Equal(3, correlations.Count);
        Assert.Equal(new PickCounts(3, 10, 0), picks);
        Assert.Equal(File.ReadAllBytes(Path.Combine(AnalysisData.BohbRun, "results.json")), File.ReadAllBytes(exported.File("results.json")));

        Assert.Equal(RunState.Completed, stored.State);
        Assert.Equal(40, fromStore.RunCount);
        Assert.NotNull(fromStore.GetIncumbentId());
    }
}
