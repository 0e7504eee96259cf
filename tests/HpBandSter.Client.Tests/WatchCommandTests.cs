using System.Diagnostics;
using System.Text.Json.Nodes;
using HpBandSter.Logs;
using HpBandSter.Objectives;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Client.Tests;

/// <summary><c>hpbandster watch</c>: reattaching to a cluster run whose client was killed, and following a run another process runs in an embedded data directory.</summary>
public sealed class WatchCommandTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WatchReattachesToAClusterRunWhoseClientWasKilledAndContinuesItsLiveLogs()
    {
        using var data = new TempDirectory();
        var gateway = ClusterSession.FreeLoopbackPort();
        var clusterId = "cli-watch-" + Guid.NewGuid().ToString("N");
        using var timeout = new CancellationTokenSource(Deadline);
        await using var silo = await ClusterSession.StartEmbeddedAsync(1, data.File("silo"), new StringWriter(), timeout.Token, gatewayPort: gateway, clusterId: clusterId);
        // A generous connect timeout: the cluster is up, but a loaded CI machine may start the client slowly.
        string[] cluster = ["--cluster", "--gateway-port", $"{gateway}", "--cluster-id", clusterId, "--service-id", clusterId, "--connect-timeout", "60"];

        using (var victim = CliProcess.Start(["run", "--objective", "toy", "--optimizer", "hyperband", "--iterations", "1", "--seed", "8", "--sleep", "0.05", "--run-id", "reattach", "--out", data.File("logs"), .. cluster]))
        {
            // The logs grow while the run goes on: wait for a few results there, then kill the client.
            await WaitUntilAsync(() => File.Exists(data.File("logs/results.json")) && File.ReadAllLines(data.File("logs/results.json")).Length >= 3, victim, "3 lines in results.json");
            Assert.True(File.Exists(data.File("logs/configspace.json")));
            victim.Kill();
        }

        var (exit, output, error) = CliRunner.Run(["watch", "reattach", "--json", "--out", data.File("logs"), .. cluster]);
        Assert.True(exit == 0, $"watch exited with {exit}: {error}");
        var summary = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("completed", (string?)summary["state"]);
        Assert.Equal(40, (int)summary["runs"]!);

        // The continued logs are exactly the export of the whole run.
        HpBandSterLogWriter.Export(await silo.Client.GetResultAsync("reattach"), data.File("export"), configSpaceJson: BenchmarkObjectives.Get("toy").Space.ToJson());
        LiveLogTests.AssertSameFiles(data.File("export"), data.File("logs"));

        // Unknown runs and a cancelled run.
        var (unknown, _, unknownError) = CliRunner.Run(["watch", "nope", .. cluster]);
        Assert.Equal(2, unknown);
        Assert.Contains("there is no run 'nope' on the cluster", unknownError);
        var (cancelUnknown, _, cancelUnknownError) = CliRunner.Run(["cancel", "nope", .. cluster]);
        Assert.Equal(2, cancelUnknown);
        Assert.Contains("there is no run 'nope' on the cluster; nothing was cancelled", cancelUnknownError);

        var (done, doneOutput, _) = CliRunner.Run(["cancel", "reattach", .. cluster]);
        Assert.Equal(0, done);
        Assert.Contains("run reattach: already completed (40 of 40 evaluations); nothing to cancel.", doneOutput);
    }

    [Fact]
    public async Task WatchFollowsARunAnotherProcessRunsInAnEmbeddedDataDirectoryToTheSameSummary()
    {
        using var data = new TempDirectory();
        using var runner = CliProcess.Start(["run", "--objective", "toy", "--optimizer", "hyperband", "--iterations", "1", "--seed", "6", "--workers", "1", "--sleep", "0.04", "--run-id", "shared", "--data-dir", data.Path]);
        await WaitForStoredResultsAsync(data.Path, "shared", 1, runner);

        var (exit, output, error) = CliRunner.Run("watch", "shared", "--data-dir", data.Path);
        Assert.True(exit == 0, $"watch exited with {exit}: {error}");
        var (runExit, runOutput, runError) = await runner.WaitForExitAsync(Deadline);
        Assert.True(runExit == 0, $"run exited with {runExit}: {runError}");

        var watched = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("watching run shared: hyperband on toy, ", watched[0]);
        Assert.Contains(", running; store ", watched[0]); // it joined while the run went on
        Assert.Contains("evaluations 40/40", error); // the progress, from the store
        Assert.Contains("| completed", error);
        Assert.Equal(runOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..], watched[1..]);
    }

    [Fact]
    public async Task WatchOnAnEmbeddedRunWhoseProcessDiedSuggestsResumeAndTimesOut()
    {
        using var data = new TempDirectory();
        using (var victim = CliProcess.Start(["run", "--objective", "toy", "--iterations", "2", "--seed", "3", "--workers", "1", "--sleep", "0.05", "--run-id", "orphan", "--data-dir", data.Path]))
        {
            await WaitForStoredResultsAsync(data.Path, "orphan", 2, victim);
            victim.Kill();
        }

        var (exit, output, error) = CliRunner.Run("watch", "orphan", "--data-dir", data.Path, "--stall-warning", "0.3", "--timeout", "1.5");
        Assert.True(exit == WatchCommand.TimedOut, $"exit {exit}: {error}");
        Assert.Contains("watching run orphan: bohb on toy, ", output);
        Assert.Contains("note: run orphan has recorded nothing for 0.3 s.", error);
        Assert.Contains($"hpbandster resume orphan --data-dir {data.Path}", error);
        Assert.Contains("Stopped watching run orphan after --timeout 1.5 s; it had not ended.", error);

        // Cancel cannot reach an embedded run: it says so, and where the run stands.
        var (cancel, _, cancelError) = CliRunner.Run("cancel", "orphan", "--data-dir", data.Path);
        Assert.Equal(CancelCommand.NotCancellable, cancel);
        Assert.Contains("run orphan is an embedded run", cancelError);
        Assert.Contains("Ctrl+C", cancelError);
        var (unknown, _, unknownError) = CliRunner.Run("cancel", "nope", "--data-dir", data.Path);
        Assert.Equal(2, unknown);
        Assert.Contains("there is no run 'nope' in the data directory", unknownError);
        var (watchUnknown, _, watchUnknownError) = CliRunner.Run("watch", "nope", "--data-dir", data.File("never-used"));
        Assert.Equal(2, watchUnknown);
        Assert.Contains($"there is no run 'nope' in the data directory '{data.File("never-used")}'", watchUnknownError);
    }

    [Fact]
    public void WatchOnADataDirectoryWhoseStoreCannotBeReadSaysSoInOneLine()
    {
        using var data = new TempDirectory();
        Directory.CreateDirectory(data.Path);
        File.WriteAllText(data.File("runs.db"), "this is not a SQLite database, and it is long enough to have a header page");

        var (exit, output, error) = CliRunner.Run("watch", "any", "--data-dir", data.Path);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: run any: ", error, StringComparison.Ordinal);
        Assert.Contains("runs.db", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CliProcess process, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited || deadline.Elapsed > Deadline)
            {
                Assert.Fail($"waited for {what}; process exited: {process.HasExited}; stderr: {process.Stderr}");
            }

            await Task.Delay(20);
        }
    }

    private static async Task WaitForStoredResultsAsync(string dataDirectory, string runId, int count, CliProcess process)
    {
        var path = Path.Combine(dataDirectory, "runs.db");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (File.Exists(path))
            {
                await using var store = new SqliteRunStore(path);
                try
                {
                    if ((await store.ListRunsAsync()).FirstOrDefault(r => r.RunId == runId) is { } run && run.Finished >= count)
                    {
                        return;
                    }
                }
                catch (RunStoreException)
                {
                    // the schema is being created
                }
            }

            if (process.HasExited || deadline.Elapsed > Deadline)
            {
                Assert.Fail($"waited for {count} results of {runId}; process exited: {process.HasExited}; stderr: {process.Stderr}");
            }

            await Task.Delay(20);
        }
    }
}
