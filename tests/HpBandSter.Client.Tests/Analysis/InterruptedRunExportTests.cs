using System.Diagnostics;
using System.Text.Json.Nodes;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Client.Tests.Analysis;

/// <summary>A run that has not finished (its process was killed) is exported and analyzed as far as it is recorded, with a note.</summary>
public sealed class InterruptedRunExportTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_unfinished_run_exports_what_is_recorded_and_says_so()
    {
        using var data = new TempDirectory();
        const string runId = "unfinished";
        var dbPath = Path.Combine(data.Path, "runs.db");
        using (var victim = CliProcess.Start(["run", "--objective", "toy", "--optimizer", "bohb", "--iterations", "4", "--seed", "3", "--workers", "1", "--sleep", "0.05", "--run-id", runId, "--data-dir", data.Path, "--json"]))
        {
            await using var store = new SqliteRunStore(dbPath);
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var finished = 0;
                if (File.Exists(dbPath))
                {
                    try
                    {
                        finished = (await store.ListRunsAsync()).FirstOrDefault(s => s.RunId == runId)?.Finished ?? 0;
                    }
                    catch (RunStoreException)
                    {
                        // the schema is being created
                    }
                }

                if (finished >= 6)
                {
                    break;
                }

                Assert.False(victim.HasExited || clock.Elapsed > Deadline, $"waited for 6 results, got {finished}; exited: {victim.HasExited}; stderr: {victim.Stderr}");
                await Task.Delay(10);
            }

            victim.Kill();
        }

        int recorded;
        await using (var store = new SqliteRunStore(dbPath))
        {
            var run = (await store.ReadRunAsync(runId))!;
            Assert.Equal(RunState.Running, run.State);
            recorded = run.Result.RunCount;
        }

        Assert.InRange(recorded, 6, 64);
        using var target = new TempDirectory();
        var (exit, _, error) = CliRunner.Run("export", runId, "--data-dir", data.Path, "--out", target.Path);
        Assert.True(exit == 0, error);
        Assert.Contains($"note: run {runId} has not finished", error, StringComparison.Ordinal);
        Assert.Contains($"exporting the {recorded} evaluations recorded so far", error, StringComparison.Ordinal);
        Assert.Equal(recorded, File.ReadAllLines(target.File("results.json")).Length);

        var (analyzeExit, output, analyzeError) = CliRunner.Run("analyze", runId, "--data-dir", data.Path, "--json");
        Assert.True(analyzeExit == 0, analyzeError);
        Assert.Contains("has not finished", analyzeError, StringComparison.Ordinal);
        Assert.Equal(recorded, (int)JsonNode.Parse(output)!["runs"]!);
    }
}
