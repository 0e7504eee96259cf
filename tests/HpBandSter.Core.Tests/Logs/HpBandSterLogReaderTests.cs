using HpBandSter.Logs;
using HpBandSter.Results;

namespace HpBandSter.Tests.Logs;

// Expected numbers were derived by hand and cross-checked with a Python re-implementation of HpBandSter 0.7.4's
// logged_results_to_HBS_result / Result run on the same files.
public sealed class HpBandSterLogReaderTests
{
    private static readonly OptimizationResult Mnist = HpBandSterLogReader.LoggedResultsToResult(LogTestFiles.MnistLive);

    [Fact]
    public void SettingsAreInferredFromTheData()
    {
        var settings = Mnist.Settings;
        Assert.Equal([1.0, 3.0, 9.0], settings.Budgets);
        Assert.Equal(1.0, settings.MinBudget);
        Assert.Equal(9.0, settings.MaxBudget);
        Assert.Equal(3.0, settings.Eta);
        Assert.Equal(3, settings.MaxSuccessiveHalvingIterations);
        Assert.Equal(LogTestFiles.MnistTimeRef, settings.TimeRef);
    }

    [Fact]
    public void CountsMatchHpBandSter()
    {
        Assert.Equal(19, Mnist.ConfigCount);
        Assert.Equal(22, Mnist.RunCount);
        Assert.Equal(4, Mnist.NumIterations());
        Assert.Equal(74.0, Mnist.TotalBudget);
        Assert.Equal(74.0 / 9.0, Mnist.FullEvaluations, 12);
        Assert.Equal(new PickCounts(ModelBased: 6, Random: 12, Unknown: 1), Mnist.CountPicks());
    }

    [Fact]
    public void IncumbentIsTheBestRunOnTheMaximumBudget()
    {
        Assert.Equal(new ConfigId(1, 1, 0), Mnist.GetIncumbentId());
        var run = Mnist.GetIncumbentRun()!;
        Assert.Equal(9.0, run.Budget);
        Assert.Equal(0.0390625, run.Loss);
    }

    [Fact]
    public void AnyBudgetIncumbentsFindTheLowBudgetWinner()
    {
        var any = Mnist.GetIncumbentRun(IncumbentSelection.AnyRun)!;
        Assert.Equal(new ConfigId(3, 0, 0), any.ConfigId);
        Assert.Equal(1.0, any.Budget);
        Assert.Equal(0.0205078125, any.Loss);
        Assert.Equal(new ConfigId(3, 0, 0), Mnist.GetIncumbentId(IncumbentSelection.HighestBudgetPerConfig));
    }

    [Fact]
    public void DefaultTrajectoryMatchesHpBandSter()
    {
        var t = Mnist.GetIncumbentTrajectory();
        Assert.Equal(
            [new(0, 0, 0), new(0, 0, 1), new(0, 0, 1), new(0, 0, 6), new(0, 0, 6), new(1, 1, 0), new(1, 1, 0)],
            t.ConfigIds);
        Assert.Equal([8.14524245262146, 24.242559909820557, 283.6266076564789, 547.6558289527893, 657.7784593105316, 1002.0285289287567, 1722.4814054965973], t.TimesFinished);
        Assert.Equal([1.0, 1.0, 3.0, 3.0, 9.0, 9.0, 9.0], t.Budgets);
        Assert.Equal([0.94140625, 0.134765625, 0.1025390625, 0.03125, 0.0478515625, 0.0390625, 0.0390625], t.Losses);
    }

    [Fact]
    public void MaxBudgetTrajectoryWorksWhereHpBandSterRaisesNameError()
    {
        var t = Mnist.GetIncumbentTrajectory(allBudgets: false);
        Assert.Equal([new(0, 0, 6), new(1, 1, 0), new(1, 1, 0)], t.ConfigIds);
        Assert.Equal([657.7784593105316, 1002.0285289287567, 1647.904352426529], t.TimesFinished);
        Assert.Equal([9.0, 9.0, 9.0], t.Budgets);
        Assert.Equal([0.0478515625, 0.0390625, 0.0390625], t.Losses);
    }

    [Fact]
    public void TrajectoryWithoutBiggerIsBetterFollowsTheLowestLossOnNonDecreasingBudgets()
    {
        var t = Mnist.GetIncumbentTrajectory(biggerIsBetter: false);
        Assert.Equal([new(0, 0, 0), new(0, 0, 1), new(0, 0, 1), new(0, 0, 6), new(0, 0, 6)], t.ConfigIds);
        Assert.Equal([8.14524245262146, 24.242559909820557, 283.6266076564789, 547.6558289527893, 1722.4814054965973], t.TimesFinished);
        Assert.Equal([1.0, 1.0, 3.0, 3.0, 3.0], t.Budgets);
        Assert.Equal([0.94140625, 0.134765625, 0.1025390625, 0.03125, 0.03125], t.Losses);
    }

    [Fact]
    public void TrajectoryAllowingDecreasingBudgetsLetsALowBudgetRunTakeOver()
    {
        var t = Mnist.GetIncumbentTrajectory(nonDecreasingBudget: false);
        Assert.Equal(8, t.Count);
        Assert.Equal(new ConfigId(3, 0, 0), t.ConfigIds[6]);
        Assert.Equal(1675.7706463336945, t.TimesFinished[6]);
        Assert.Equal(1.0, t.Budgets[6]);
        Assert.Equal(0.0205078125, t.Losses[6]);
        Assert.Equal(new ConfigId(3, 0, 0), t.ConfigIds[7]);
        Assert.Equal(1722.4814054965973, t.TimesFinished[7]);

        var pureMinimum = Mnist.GetIncumbentTrajectory(biggerIsBetter: false, nonDecreasingBudget: false);
        Assert.Equal([new(0, 0, 0), new(0, 0, 1), new(0, 0, 1), new(0, 0, 6), new(3, 0, 0), new(3, 0, 0)], pureMinimum.ConfigIds);
        Assert.Equal([0.94140625, 0.134765625, 0.1025390625, 0.03125, 0.0205078125, 0.0205078125], pureMinimum.Losses);
    }

    [Fact]
    public void TimestampsAreRelativeToTheFirstSubmission()
    {
        var first = Mnist.GetRunsById(new ConfigId(0, 0, 0)).Single();
        Assert.Equal(new RunTimestamps(0.0, 0.0002276897430419922, 8.14524245262146), first.TimeStamps);

        // The line with issue #32's key order (finished, started, submitted) reads the same way.
        var reordered = Mnist.GetRunsById(new ConfigId(2, 0, 2)).Single();
        Assert.Equal(new RunTimestamps(1456.652227640152, 1456.6524512767792, 1647.904352426529), reordered.TimeStamps);
    }

    [Fact]
    public void CrashedRunsHaveNoLossAndKeepTheirException()
    {
        var crashed = Mnist.GetRunsById(new ConfigId(0, 0, 4)).Single();
        Assert.Null(crashed.Loss);
        Assert.Null(crashed.Info);
        Assert.True(crashed.IsCrashed);
        Assert.StartsWith("Traceback (most recent call last):\n  File \"/home/user/", crashed.ErrorLogs, StringComparison.Ordinal);
        Assert.EndsWith("for 'conv2d_3/convolution'\n", crashed.ErrorLogs, StringComparison.Ordinal);

        var died = Mnist.GetRunsById(new ConfigId(1, 0, 1)).Single();
        Assert.Equal("Worker died unexpectedly.", died.ErrorLogs);

        var diverged = Mnist.GetRunsById(new ConfigId(1, 0, 2)).Single();
        Assert.Equal(double.PositiveInfinity, diverged.Loss);
        Assert.True(diverged.IsCrashed);
        Assert.True(diverged.Info!["diverged"]!.GetValue<bool>());
    }

    [Fact]
    public void RunsAndInfoAreReadCompletely()
    {
        var runs = Mnist.GetRunsById(new ConfigId(0, 0, 6));
        Assert.Equal([1.0, 3.0, 9.0], runs.Select(r => r.Budget));
        Assert.Equal([0.3017578125, 0.03125, 0.0478515625], runs.Select(r => r.Loss!.Value));
        Assert.Equal(182520L, runs[2].Info!["number of parameters"]!.GetValue<long>());
        Assert.Equal(0.9533, runs[2].Info!["test accuracy"]!.GetValue<double>());

        var config = Mnist[new ConfigId(0, 0, 0)];
        Assert.Equal(3.617188990516118e-06, config.Config["lr"]);
        Assert.Equal(3L, config.Config["num_conv_layers"]);
        Assert.Equal("Adam", config.Config["optimizer"]);
        Assert.Equal(["dropout_rate", "lr", "num_conv_layers", "num_fc_units", "num_filters_1", "optimizer", "num_filters_2", "num_filters_3"], config.Config.Keys);
        Assert.False(config.ModelBasedPick);
    }

    [Fact]
    public void LegacyTwoElementLinesGetEmptyInfo()
    {
        var legacy = Mnist[new ConfigId(2, 0, 2)];
        Assert.Empty(legacy.Info);
        Assert.Null(legacy.ModelBasedPick);
        Assert.Equal(9, legacy.Config.Count);
    }

    [Fact]
    public void ConfigsWithoutRunsAreKept()
    {
        Assert.Empty(Mnist.GetRunsById(new ConfigId(3, 0, 2)));
        var curves = Mnist.GetLearningCurves(configIds: [new ConfigId(3, 0, 2), new ConfigId(0, 0, 4), new ConfigId(0, 0, 6)]);
        Assert.Equal([new ConfigId(3, 0, 2), new ConfigId(0, 0, 4), new ConfigId(0, 0, 6)], curves.Keys);
        Assert.Empty(Assert.Single(curves[new ConfigId(3, 0, 2)]));
        Assert.Empty(Assert.Single(curves[new ConfigId(0, 0, 4)]));
        Assert.Equal([new(1.0, 0.3017578125), new(3.0, 0.03125), new(9.0, 0.0478515625)], Assert.Single(curves[new ConfigId(0, 0, 6)]));
    }

    [Fact]
    public void LargestBudgetRunsFollowDataOrder()
    {
        var largest = Mnist.GetAllRuns(onlyLargestBudget: true);
        Assert.Equal(18, largest.Count);
        Assert.Equal(
            "0,0,0@1 0,0,1@3 0,0,2@3 0,0,3@1 0,0,4@1 0,0,5@1 0,0,6@9 0,0,7@1 0,0,8@1 1,0,0@3 1,0,1@3 1,0,2@3 1,1,0@9 2,0,0@9 2,0,1@9 2,0,2@9 3,0,0@1 3,0,1@1",
            string.Join(' ', largest.Select(r => $"{r.ConfigId.Iteration},{r.ConfigId.Stage},{r.ConfigId.Index}@{r.Budget}")));
    }

    [Fact]
    public void ReadReturnsTheConfigSpaceTextAndNoWarnings()
    {
        var log = HpBandSterLogReader.Read(LogTestFiles.MnistLive);
        Assert.Empty(log.Warnings);
        Assert.Contains("\"name\": \"sgd_momentum\"", log.ConfigSpaceJson, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultReferringToAnUnknownConfigNamesTheIdAndLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("configs.json"), "[[0, 0, 0], {\"x\": 1.0}, {}]\n");
        File.WriteAllText(dir.File("results.json"),
            "[[0, 0, 0], 1.0, {\"submitted\": 1.0, \"started\": 2.0, \"finished\": 3.0}, {\"loss\": 0.5, \"info\": {}}, null]\n" +
            "[[0, 0, 7], 1.0, {\"submitted\": 1.0, \"started\": 2.0, \"finished\": 3.0}, {\"loss\": 0.5, \"info\": {}}, null]\n");
        var e = Assert.Throws<LogFormatException>(() => HpBandSterLogReader.Read(dir.Path));
        Assert.Equal(2, e.LineNumber);
        Assert.EndsWith("results.json", e.FilePath, StringComparison.Ordinal);
        Assert.Contains("[0, 0, 7]", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("configs.json", "[[0, 0, 0], {\"x\": 1.0}, {}]\n[[0, 0, 1], {\"x\": 1.0}, {}\n[[0, 0, 2], {\"x\": 1.0}, {}]\n", 2)]
    [InlineData("configs.json", "[[0, 0, 0], {\"x\": 1.0}, {}, 4]\n", 1)]
    [InlineData("configs.json", "[[0, 0], {\"x\": 1.0}, {}]\n", 1)]
    [InlineData("configs.json", "[[0, 0, 0], {\"x\": null}, {}]\n", 1)]
    [InlineData("configs.json", "[[0, 0, 0], {\"x\": [1]}, {}]\n", 1)]
    [InlineData("configs.json", "[[0, 0, 0], {\"x\": 1.0}, \"N/A\"]\n", 1)]
    [InlineData("results.json", "[[0, 0, 0], 1.0, {\"submitted\": 1.0, \"started\": 2.0}, null, null]\n", 1)]
    [InlineData("results.json", "[[0, 0, 0], \"1\", {\"submitted\": 1.0, \"started\": 2.0, \"finished\": 3.0}, null, null]\n", 1)]
    [InlineData("results.json", "[[0, 0, 0], 1.0, {\"submitted\": 1.0, \"started\": 2.0, \"finished\": 3.0}, {\"info\": 1}, null]\n", 1)]
    [InlineData("results.json", "[[0, 0, 0], 1.0, {\"submitted\": 1.0, \"started\": 2.0, \"finished\": 3.0}, null]\n", 1)]
    [InlineData("results.json", "\n[[0, 0, 0], 1.0, {\"submitted\": 1.0, \"started\": 2.0, \"finished\": 3.0}, null, 42]\n", 2)]
    public void MalformedLinesNameTheFileAndLine(string file, string content, int line)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("configs.json"), "[[0, 0, 0], {\"x\": 1.0}, {}]\n");
        File.WriteAllText(dir.File("results.json"), "[[0, 0, 0], 1.0, {\"submitted\": 1.0, \"started\": 2.0, \"finished\": 3.0}, null, null]\n");
        File.WriteAllText(dir.File(file), content);
        var e = Assert.Throws<LogFormatException>(() => HpBandSterLogReader.Read(dir.Path));
        Assert.Equal(line, e.LineNumber);
        Assert.EndsWith(file, e.FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedLastLineIsIgnoredWithAWarning()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("configs.json"), "[[0, 0, 0], {\"x\": 1.0}, {}]\r\n[[0, 0, 1], {\"x\": 2.0}, {}]\r\n");
        File.WriteAllText(dir.File("results.json"),
            "[[0, 0, 0], 1.0, {\"submitted\": 10.0, \"started\": 11.0, \"finished\": 13.0}, {\"loss\": 0.5, \"info\": null}, null]\n" +
            "[[0, 0, 1], 1.0, {\"submitted\": 12.0, \"started\": 13.0, \"fini");
        var log = HpBandSterLogReader.Read(dir.Path);
        Assert.Equal(1, log.Result.RunCount);
        Assert.Equal(2, log.Result.ConfigCount);
        var warning = Assert.Single(log.Warnings);
        Assert.Equal(2, warning.LineNumber);
        Assert.Contains("incomplete", warning.Message, StringComparison.Ordinal);
        Assert.Null(log.ConfigSpaceJson);
    }

    [Fact]
    public void ATerminatedLastLineWithoutNewlineIsAccepted()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("configs.json"), "[[0, 0, 0], {\"x\": 1.0}, {}]");
        File.WriteAllText(dir.File("results.json"), "[[0, 0, 0], 1, {\"submitted\": 10, \"started\": 11, \"finished\": 13}, {\"loss\": 0.5, \"info\": null}, null]");
        var log = HpBandSterLogReader.Read(dir.Path);
        Assert.Empty(log.Warnings);
        Assert.Equal(1.0, log.Result.GetAllRuns().Single().Budget);
        Assert.Equal(new RunTimestamps(0, 1, 3), log.Result.GetAllRuns().Single().TimeStamps);
    }

    [Fact]
    public void RepeatedEntriesKeepTheLaterLineAsHpBandSterDoes()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("configs.json"),
            "[[0, 0, 0], {\"x\": 1.0}, {\"model_based_pick\": false}]\n[[0, 0, 1], {\"x\": 2.0}, {}]\n[[0, 0, 0], {\"x\": 3.0}, {\"model_based_pick\": true}]\n");
        File.WriteAllText(dir.File("results.json"),
            "[[0, 0, 1], 1.0, {\"submitted\": 5.0, \"started\": 6.0, \"finished\": 7.0}, {\"loss\": 0.9, \"info\": null}, null]\n" +
            "[[0, 0, 0], 1.0, {\"submitted\": 8.0, \"started\": 9.0, \"finished\": 10.0}, {\"loss\": 0.5, \"info\": null}, null]\n" +
            "[[0, 0, 0], 1.0, {\"submitted\": 11.0, \"started\": 12.0, \"finished\": 14.0}, {\"loss\": 0.25, \"info\": null}, null]\n");
        var log = HpBandSterLogReader.Read(dir.Path);
        Assert.Equal(2, log.Warnings.Count);
        Assert.Equal([new ConfigId(0, 0, 0), new ConfigId(0, 0, 1)], log.Result.Configs.Select(c => c.Id));
        Assert.Equal(3.0, log.Result[new ConfigId(0, 0, 0)].Config["x"]);
        Assert.True(log.Result[new ConfigId(0, 0, 0)].ModelBasedPick);
        var run = log.Result.GetRunsById(new ConfigId(0, 0, 0)).Single();
        Assert.Equal(0.25, run.Loss);
        Assert.Equal(new RunTimestamps(6.0, 7.0, 9.0), run.TimeStamps);
        Assert.Null(log.Result.Settings.Eta);
    }

    [Fact]
    public void MissingFilesAndEmptyResultsAreReportedClearly()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => HpBandSterLogReader.Read(dir.Path));
        File.WriteAllText(dir.File("configs.json"), "[[0, 0, 0], {\"x\": 1.0}, {}]\n");
        Assert.Throws<FileNotFoundException>(() => HpBandSterLogReader.Read(dir.Path));
        File.WriteAllText(dir.File("results.json"), "");
        var e = Assert.Throws<InvalidDataException>(() => HpBandSterLogReader.Read(dir.Path));
        Assert.Contains("no finished run", e.Message, StringComparison.Ordinal);
    }
}
