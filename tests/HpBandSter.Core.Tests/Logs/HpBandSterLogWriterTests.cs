using System.Text.Json.Nodes;
using HpBandSter.Logs;
using HpBandSter.Results;
using HpBandSter.Spaces;

namespace HpBandSter.Tests.Logs;

public sealed class HpBandSterLogWriterTests
{
    // The example lines of HpBandSter's own example_5_run logs (spec §1.9).
    private const string SpecConfigLine =
        "[[0, 0, 0], {\"dropout_rate\": 0.5999213678456241, \"lr\": 3.617188990516118e-06, \"num_conv_layers\": 3, \"num_fc_units\": 201, \"num_filters_1\": 6, \"optimizer\": \"Adam\", \"num_filters_2\": 11, \"num_filters_3\": 43}, {\"model_based_pick\": false}]";

    private const string SpecResultLine =
        "[[0, 0, 0], 1.0, {\"submitted\": 1534077946.9809837, \"started\": 1534077946.9812114, \"finished\": 1534077955.1262262}, {\"loss\": 0.94140625, \"info\": {\"test accuracy\": 0.0608, \"train accuracy\": 0.0609130859375, \"validation accuracy\": 0.05859375, \"number of parameters\": 15829}}, null]";

    private static ConfigRecord SpecConfig() => new(
        new ConfigId(0, 0, 0),
        new Configuration(
        [
            new("dropout_rate", 0.5999213678456241),
            new("lr", 3.617188990516118e-06),
            new("num_conv_layers", 3L),
            new("num_fc_units", 201L),
            new("num_filters_1", 6L),
            new("optimizer", "Adam"),
            new("num_filters_2", 11L),
            new("num_filters_3", 43L),
        ]),
        new JsonObject { ["model_based_pick"] = false });

    private static Run SpecRun() => new(
        new ConfigId(0, 0, 0),
        1.0,
        0.94140625,
        new JsonObject
        {
            ["test accuracy"] = 0.0608,
            ["train accuracy"] = 0.0609130859375,
            ["validation accuracy"] = 0.05859375,
            ["number of parameters"] = 15829,
        },
        new RunTimestamps(1534077946.9809837, 1534077946.9812114, 1534077955.1262262),
        null);

    [Fact]
    public void ConfigLineMatchesHpBandSterByteForByte() =>
        Assert.Equal(SpecConfigLine, HpBandSterLogFormat.ConfigLine(SpecConfig()));

    [Fact]
    public void ResultLineMatchesHpBandSterByteForByte() =>
        Assert.Equal(SpecResultLine, HpBandSterLogFormat.ResultLine(SpecRun()));

    [Fact]
    public void CrashedResultLineHasNullResultAndTheException()
    {
        var run = new Run(new ConfigId(10, 0, 0), 38.0, null, null, new RunTimestamps(1544191887.3152575, 1544191887.3157759, 1544192253.4073746), "Traceback (most recent call last):\n  File \"w.py\", line 3\nKeyError: 'x'\n");
        Assert.Equal(
            "[[10, 0, 0], 38.0, {\"submitted\": 1544191887.3152575, \"started\": 1544191887.3157759, \"finished\": 1544192253.4073746}, null, \"Traceback (most recent call last):\\n  File \\\"w.py\\\", line 3\\nKeyError: 'x'\\n\"]",
            HpBandSterLogFormat.ResultLine(run));
    }

    [Fact]
    public void NonFiniteLossesAndMissingLossAreWrittenAsPythonDoes()
    {
        var stamps = new RunTimestamps(1e-06, 0.5, 1e16);
        Assert.Equal(
            "[[0, 1, 2], 0.1111111111111111, {\"submitted\": 1e-06, \"started\": 0.5, \"finished\": 1e+16}, {\"loss\": Infinity, \"info\": null}, null]",
            HpBandSterLogFormat.ResultLine(new Run(new ConfigId(0, 1, 2), 1.0 / 9.0, double.PositiveInfinity, null, stamps, null)));
        Assert.Equal(
            "[[0, 1, 2], 1.0, {\"submitted\": 1e-06, \"started\": 0.5, \"finished\": 1e+16}, {\"loss\": null, \"info\": {\"note\": \"\\u00e9\"}}, null]",
            HpBandSterLogFormat.ResultLine(new Run(new ConfigId(0, 1, 2), 1.0, null, new JsonObject { ["note"] = "é" }, stamps, null)));
        Assert.Equal(
            "[[0, 1, 2], 1.0, {\"submitted\": 1e-06, \"started\": 0.5, \"finished\": 1e+16}, {\"loss\": NaN, \"info\": [1, 2.0]}, null]",
            HpBandSterLogFormat.ResultLine(new Run(new ConfigId(0, 1, 2), 1.0, double.NaN, new JsonArray(1, 2.0), stamps, null)));
    }

    [Fact]
    public void WriterAppendsOneLinePerEventAndSkipsRepeatedConfigs()
    {
        using var dir = new TempDirectory();
        using (var writer = new HpBandSterLogWriter(dir.Path))
        {
            Assert.True(writer.LogConfig(SpecConfig()));
            Assert.False(writer.LogConfig(SpecConfig()));
            writer.LogResult(SpecRun());

            // Flushed per line: readable while the writer is open.
            Assert.Equal(SpecResultLine + "\n", ReadShared(dir.File("results.json")));
        }

        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(SpecConfigLine + "\n"), File.ReadAllBytes(dir.File("configs.json")));
        Assert.Equal(System.Text.Encoding.ASCII.GetBytes(SpecResultLine + "\n"), File.ReadAllBytes(dir.File("results.json")));
    }

    [Fact]
    public void WriterRefusesToOverwriteUnlessAsked()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("results.json"), "keep me\n");
        var e = Assert.Throws<IOException>(() => new HpBandSterLogWriter(dir.Path));
        Assert.Contains("results.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("overwrite", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("configs.json")));
        Assert.Equal("keep me\n", File.ReadAllText(dir.File("results.json")));

        using (new HpBandSterLogWriter(dir.Path, overwrite: true))
        {
        }

        Assert.Equal(0, new FileInfo(dir.File("results.json")).Length);
        Assert.Equal(0, new FileInfo(dir.File("configs.json")).Length);
    }

    [Fact]
    public void WriterCreatesTheDirectory()
    {
        using var dir = new TempDirectory();
        var nested = Path.Combine(dir.Path, "a", "b");
        using (new HpBandSterLogWriter(nested))
        {
        }

        Assert.True(File.Exists(Path.Combine(nested, "configs.json")));
    }

    [Fact]
    public void ResultsOfUnloggedConfigsAreRefused()
    {
        using var dir = new TempDirectory();
        using var writer = new HpBandSterLogWriter(dir.Path);
        var e = Assert.Throws<InvalidOperationException>(() => writer.LogResult(SpecRun()));
        Assert.Contains("[0, 0, 0]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigSpaceIsWrittenAsGivenAndNotOverwrittenByDefault()
    {
        using var dir = new TempDirectory();
        using (var writer = new HpBandSterLogWriter(dir.Path))
        {
            writer.WriteConfigSpace("{\"hyperparameters\": []}");
            Assert.Throws<IOException>(() => writer.WriteConfigSpace("{}"));
        }

        Assert.Equal("{\"hyperparameters\": []}", File.ReadAllText(dir.File("configspace.json")));
        using (var writer = new HpBandSterLogWriter(dir.Path, overwrite: true))
        {
            writer.WriteConfigSpace("{}");
        }

        Assert.Equal("{}", File.ReadAllText(dir.File("configspace.json")));
    }

    [Fact]
    public void WrittenLogsReadBackToTheSameResult()
    {
        // Times on a binary-exact grid, so absolute - TimeRef is exact and the comparison can be exact.
        const double t0 = 1700000000.0;
        var configs = new[]
        {
            SpecConfig(),
            new ConfigRecord(new ConfigId(0, 0, 1), new Configuration([new("lr", 0.1), new("optimizer", "SGD"), new("flag", true)]), new JsonObject { ["model_based_pick"] = true }),
            new ConfigRecord(new ConfigId(0, 1, 0), new Configuration([new("lr", 1e-05)]), []),
        };
        var runs = new[]
        {
            SpecRun() with { TimeStamps = new RunTimestamps(t0, t0 + 0.25, t0 + 8.5) },
            new Run(new ConfigId(0, 0, 1), 1.0, 0.5, new JsonObject { ["curve"] = new JsonArray(0.9, 0.7, 0.5) }, new RunTimestamps(t0 + 0.5, t0 + 0.75, t0 + 9.0), null),
            new Run(new ConfigId(0, 0, 1), 3.0, null, null, new RunTimestamps(t0 + 9.5, t0 + 9.75, t0 + 20.0), "Worker died unexpectedly."),
            new Run(new ConfigId(0, 1, 0), 3.0, 0.125, null, new RunTimestamps(t0 + 21.0, t0 + 21.25, t0 + 30.0), null),
        };

        using var dir = new TempDirectory();
        using (var writer = new HpBandSterLogWriter(dir.Path))
        {
            foreach (var config in configs)
            {
                writer.LogConfig(config);
            }

            foreach (var run in runs)
            {
                writer.LogResult(run);
            }

            writer.WriteConfigSpace("{\"hyperparameters\": []}\n");
        }

        var log = HpBandSterLogReader.Read(dir.Path);
        Assert.Empty(log.Warnings);
        Assert.Equal("{\"hyperparameters\": []}\n", log.ConfigSpaceJson);
        var expected = new OptimizationResult(configs, runs, new ResultSettings(1.0, 3.0, [1.0, 3.0], 3.0, t0));
        ResultAssert.Equal(expected, log.Result);
    }

    [Fact]
    public void ExportedResultReadsBackTheSame()
    {
        var original = HpBandSterLogReader.LoggedResultsToResult(LogTestFiles.MnistLive);
        using var dir = new TempDirectory();
        HpBandSterLogWriter.Export(original, dir.Path, configSpaceJson: "{}");
        var copy = HpBandSterLogReader.LoggedResultsToResult(dir.Path);
        ResultAssert.Equal(original, copy, timeTolerance: 1e-6);
        Assert.Equal(original.GetIncumbentTrajectory().ConfigIds, copy.GetIncumbentTrajectory().ConfigIds);

        // Configs come back byte for byte (the legacy line gains an empty info); results differ only in the last
        // digits of times that went through the relative form and back.
        var originalConfigs = File.ReadAllLines(Path.Combine(LogTestFiles.MnistLive, "configs.json"));
        var copiedConfigs = File.ReadAllLines(dir.File("configs.json"));
        Assert.Equal(originalConfigs.Length, copiedConfigs.Length);
        for (var i = 0; i < originalConfigs.Length; i++)
        {
            var expected = originalConfigs[i].StartsWith("[[2, 0, 2]", StringComparison.Ordinal)
                ? originalConfigs[i][..^1] + ", {}]"
                : originalConfigs[i];
            Assert.Equal(expected, copiedConfigs[i]);
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
