using System.Collections.Immutable;
using HpBandSter.Logs;
using HpBandSter.Objectives;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using Orleans;

namespace HpBandSter.Client.Tests;

/// <summary>
/// Live logs (<c>--out</c>): written from the run grain's results cursor while the run goes on, byte for byte what
/// the end-of-run export writes; a partial log of the same run is continued, another run's is refused.
/// </summary>
public sealed class LiveLogTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LogsWrittenWhileARunGoesOnEqualTheEndOfRunExportAndAPartialLogIsContinued()
    {
        using var data = new TempDirectory();
        using var timeout = new CancellationTokenSource(Deadline);
        await using var silo = await ClusterSession.StartEmbeddedAsync(1, data.File("silo"), new StringWriter(), timeout.Token);
        var space = BenchmarkObjectives.Get("toy").Space.ToJson();
        var spec = new RunSpec { Objective = "toy", Optimizer = "bohb", MinBudget = 9, MaxBudget = 243, Iterations = 2, Seed = 11, SleepSeconds = 0.005 };
        var start = await silo.Client.StartRunAsync("live", spec);
        Assert.True(start.Accepted, start.Error);
        var grain = silo.Grains.GetGrain<IRunGrain>("live");

        // Small pages, read while the run goes on, as `run --out` reads them.
        var (log, last) = await LiveLog.OpenAsync(data.File("live"), space, grain.GetResultsAsync, timeout.Token, pageSize: 7);
        var pagesWhileRunning = 0;
        using (log)
        {
            var status = last.Status;
            while (status.State == RunState.Running)
            {
                status = await grain.WaitForChangeAsync(log.Cursor.Runs, TimeSpan.FromSeconds(1)).WaitAsync(timeout.Token);
                status = (await log.CatchUpAsync(grain.GetResultsAsync, timeout.Token)).Status;
                pagesWhileRunning += status.State == RunState.Running ? 1 : 0;
            }

            Assert.True(pagesWhileRunning > 0, "the run ended before any result was logged while it ran");
            Assert.True(File.ReadAllLines(data.File("live/results.json")).Length > 0);
            var result = await silo.Client.GetResultAsync("live");
            log.Finish(result);
            Assert.False(log.Rewritten, "the live files differed from the export (one slot records results in finish order)");
            HpBandSterLogWriter.Export(result, data.File("export"), configSpaceJson: space);
        }

        AssertSameFiles(data.File("export"), data.File("live"));
        Assert.Empty(Directory.GetDirectories(data.File("live"))); // no scratch directory left

        // A client that stopped mid-way left a partial log, the last line cut: continuing adds exactly what is missing.
        Directory.CreateDirectory(data.File("partial"));
        File.WriteAllLines(data.File("partial/configs.json"), File.ReadAllLines(data.File("export/configs.json")).Take(10));
        var results = File.ReadAllText(data.File("export/results.json"));
        File.WriteAllText(data.File("partial/results.json"), results[..(results.IndexOf('\n', results.Length / 3) + 20)]);
        var (continued, _) = await LiveLog.OpenAsync(data.File("partial"), space, grain.GetResultsAsync, timeout.Token);
        using (continued)
        {
            continued.Finish(await silo.Client.GetResultAsync("live"));
            Assert.False(continued.Rewritten);
        }

        AssertSameFiles(data.File("export"), data.File("partial"));

        // Another run's logs are refused and left as they were.
        Directory.CreateDirectory(data.File("other"));
        File.WriteAllText(data.File("other/configs.json"), "[[0, 0, 0], {\"x\": 0.5}, {}]\n");
        var refused = await Assert.ThrowsAsync<LiveLogMismatchException>(() => LiveLog.OpenAsync(data.File("other"), space, grain.GetResultsAsync, timeout.Token));
        Assert.Contains("configs.json", refused.Message);
        Assert.Contains("run live's", refused.Message);
        Assert.Equal("[[0, 0, 0], {\"x\": 0.5}, {}]\n", File.ReadAllText(data.File("other/configs.json")));
        Assert.Equal(["configs.json"], Directory.GetFileSystemEntries(data.File("other")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ResultsRecordedOutOfFinishOrderAreListedByFinishTimeAtTheEnd()
    {
        using var data = new TempDirectory();
        var status = new RunStatus { RunId = "r", State = RunState.Completed, Budgets = [1.0], StartedAt = 1_700_000_000.25 };
        var spec = new RunSpec { Objective = "toy", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 1, Seed = 1 };
        ImmutableArray<ConfigData> configs =
        [
            new(0, 0, 0, [new ConfigEntry("x", 0.25)], "{}"),
            new(0, 0, 1, [new ConfigEntry("x", 0.75)], "{}"),
        ];
        ImmutableArray<RunData> runs =
        [
            new(new WireJobKey(0, 0, 1, 1.0), 0.5, "{}", 0.1, 0.2, 2.5, null), // recorded first, finished last
            new(new WireJobKey(0, 0, 0, 1.0), 0.25, "{}", 0.1, 0.3, 1.5, null),
        ];
        var page = new ResultsPage(configs, runs, new ResultsCursor(2, 2), status);
        var (log, _) = await LiveLog.OpenAsync(data.File("live"), null, (_, _) => Task.FromResult(page), CancellationToken.None);
        using (log)
        {
            var lines = File.ReadAllLines(data.File("live/results.json"));
            Assert.StartsWith("[[0, 0, 1], 1.0, ", lines[0]); // as recorded, while running
            var result = HpBandSterClient.ToResult(spec, status, configs, runs);
            log.Finish(result);
            Assert.True(log.Rewritten);
            HpBandSterLogWriter.Export(result, data.File("export"));
        }

        AssertSameFiles(data.File("export"), data.File("live"));
        Assert.StartsWith("[[0, 0, 0], 1.0, ", File.ReadAllLines(data.File("live/results.json"))[0]);
        Assert.False(File.Exists(data.File("live/configspace.json")));
    }

    [Fact]
    public async Task ResumeOutContinuesThePartialLogsOfTheSameRunAndRefusesAnotherRunsLogs()
    {
        using var data = new TempDirectory();
        string[] embedded = ["--workers", "1", "--data-dir", data.File("d")];
        var (first, _, firstError) = CliRunner.Run(["run", "--optimizer", "hyperband", "--iterations", "1", "--seed", "4", "--run-id", "grow", "--out", data.File("logs"), .. embedded]);
        Assert.True(first == 0, firstError);

        // As if the client had died early: keep the first lines only, then resume the run for one more iteration.
        foreach (var file in new[] { "configs.json", "results.json" })
        {
            File.WriteAllLines(data.File($"logs/{file}"), File.ReadAllLines(data.File($"logs/{file}")).Take(5));
        }

        var (resumed, output, error) = CliRunner.Run(["resume", "grow", "--iterations", "1", "--out", data.File("logs"), .. embedded]);
        Assert.True(resumed == 0, error);
        Assert.Contains("A total of 53 runs were executed.", output);

        using var timeout = new CancellationTokenSource(Deadline);
        await using (var silo = await ClusterSession.StartEmbeddedAsync(1, data.File("d"), new StringWriter(), timeout.Token))
        {
            HpBandSterLogWriter.Export(await silo.Client.GetResultAsync("grow"), data.File("export"), configSpaceJson: BenchmarkObjectives.Get("toy").Space.ToJson());
        }

        AssertSameFiles(data.File("export"), data.File("logs"));

        // The logs of run 'grow' do not belong to another run.
        var (other, _, otherError) = CliRunner.Run(["run", "--iterations", "1", "--run-id", "other", .. embedded]);
        Assert.True(other == 0, otherError);
        var (refused, _, refusedError) = CliRunner.Run(["resume", "other", "--out", data.File("logs"), .. embedded]);
        Assert.Equal(2, refused);
        Assert.Contains("holds logs that are not run other's (configs.json does not match", refusedError);
        AssertSameFiles(data.File("export"), data.File("logs"));
    }

    internal static void AssertSameFiles(string expectedDirectory, string actualDirectory)
    {
        foreach (var file in new[] { HpBandSterLogFiles.Configs, HpBandSterLogFiles.Results, HpBandSterLogFiles.ConfigSpace })
        {
            var expected = Path.Combine(expectedDirectory, file);
            var actual = Path.Combine(actualDirectory, file);
            Assert.Equal(File.Exists(expected), File.Exists(actual));
            if (File.Exists(expected))
            {
                Assert.True(File.ReadAllBytes(expected).AsSpan().SequenceEqual(File.ReadAllBytes(actual)), $"{file} differs:\n{File.ReadAllText(actual)}\nexpected:\n{File.ReadAllText(expected)}");
            }
        }
    }
}
