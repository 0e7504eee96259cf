using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Client.Tests;

/// <summary>
/// The embedded default survives SIGKILL: `hpbandster run` is killed at seeded random points and `hpbandster resume`
/// brings the run back each time; the finished run equals the same run never interrupted (one slot, same seed).
/// </summary>
public sealed class CrashResumeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_run_killed_three_times_and_resumed_ends_with_the_uninterrupted_result()
    {
        using var data = new TempDirectory();
        const string runId = "crash-resume";
        const long seed = 21;
        var dbPath = Path.Combine(data.Path, "runs.db");
        await using var store = new SqliteRunStore(dbPath);
        var expected = CoreRun(seed);
        var random = new Random(7);
        var killPoints = Enumerable.Range(0, 3).Select(_ => random.Next(2, expected.Count - 5)).Order().ToList();

        var args = new List<string> { "run", "--objective", "toy", "--optimizer", "bohb", "--iterations", "4", "--seed", seed.ToString(CultureInfo.InvariantCulture), "--workers", "1", "--sleep", "0.01", "--run-id", runId, "--data-dir", data.Path, "--json" };
        foreach (var point in killPoints)
        {
            using var victim = CliProcess.Start(args);
            await WaitForResultsAsync(store, dbPath, runId, point, victim);
            victim.Kill();
            args = ["resume", runId, "--workers", "1", "--data-dir", data.Path, "--json"];
        }

        using var last = CliProcess.Start(args);
        var (exit, stdout, stderr) = await last.WaitForExitAsync(Deadline);
        Assert.True(exit == 0, $"resume exited with {exit}: {stderr}");
        var summary = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal("completed", (string?)summary["state"]);
        Assert.Equal(65, (int)summary["runs"]!);

        var stored = (await store.ReadAsync(runId, useSnapshot: false))!;
        var told = stored.Entries.Where(e => e.Kind == "told").Select(e => JsonNode.Parse(e.Payload)!.AsObject())
            .Select(o => ((int)o["i"]!, (int)o["s"]!, (int)o["k"]!, (double)o["b"]!, (double)o["loss"]!)).ToList();
        Assert.Equal(expected, told);
    }

    [Fact]
    public async Task A_run_another_process_runs_is_not_resumed_beside_it_and_is_resumed_once_that_process_is_gone()
    {
        using var data = new TempDirectory();
        const string runId = "busy";
        var dbPath = Path.Combine(data.Path, "runs.db");
        await using var store = new SqliteRunStore(dbPath);
        using var first = CliProcess.Start(["run", "--objective", "toy", "--optimizer", "randomsearch", "--iterations", "200", "--sleep", "0.1", "--workers", "1", "--seed", "3", "--run-id", runId, "--data-dir", data.Path, "--json"]);
        await WaitForResultsAsync(store, dbPath, runId, 2, first);

        var (refused, refusedOutput, refusedError) = CliRunner.Run("resume", runId, "--data-dir", data.Path, "--json");

        Assert.Equal(1, refused);
        Assert.Equal("", refusedOutput);
        Assert.Contains($"error: run {runId} is being run by another hpbandster process in the data directory '{data.Path}'", refusedError, StringComparison.Ordinal);
        Assert.False(first.HasExited, $"the first process stopped: {first.Stderr}");
        var before = (await store.ListRunsAsync()).Single(r => r.RunId == runId).Finished;
        await WaitForResultsAsync(store, dbPath, runId, before + 2, first);

        first.Kill();
        var (_, status, _) = CliRunner.Run("status", runId, "--data-dir", data.Path);
        Assert.Contains($"runs in an embedded hpbandster process, or did until that process stopped: 'hpbandster resume {runId}' then continues it", status, StringComparison.Ordinal);
        var (resumed, output, error) = CliRunner.Run("resume", runId, "--data-dir", data.Path, "--workers", "8", "--json");

        Assert.True(resumed == 0, $"resume exited with {resumed}: {error}");
        Assert.Equal("completed", (string?)JsonNode.Parse(output)!["state"]);
        Assert.Equal(200, (int)JsonNode.Parse(output)!["runs"]!);
    }

    private static async Task<IReadOnlyList<HpBandSter.Orleans.Storage.RunSummary>> ListOrEmptyAsync(IRunStore store)
    {
        try
        {
            return await store.ListRunsAsync();
        }
        catch (RunStoreException)
        {
            return []; // the schema is being created
        }
    }

    private static List<(int, int, int, double, double)> CoreRun(long seed)
    {
        var problem = BenchmarkObjectives.Get("toy");
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.Bohb, problem.MinBudget, problem.MaxBudget, 4), problem.Space, seed);
        var told = new List<(int, int, int, double, double)>();
        SequentialRunner.Run(
            optimizer,
            job =>
            {
                var evaluation = problem.Evaluate(job.Config, job.Budget, BenchmarkObjective.NoiseSource(seed, job.Id, job.Budget));
                return JobOutcome.Success(evaluation.Loss, evaluation.Info);
            },
            onFinished: (job, run) => told.Add((job.Id.Iteration, job.Id.Stage, job.Id.Index, job.Budget, run.Loss!.Value)));
        return told;
    }

    private static async Task WaitForResultsAsync(IRunStore store, string dbPath, string runId, int count, CliProcess process)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // The program creates the store; until then there is nothing to read.
            var summary = File.Exists(dbPath) ? (await ListOrEmptyAsync(store)).FirstOrDefault(s => s.RunId == runId) : null;
            if (summary is { Finished: var finished } && finished >= count)
            {
                return;
            }

            if (process.HasExited || deadline.Elapsed > Deadline)
            {
                Assert.Fail($"waited for {count} results of {runId}, got {summary?.Finished ?? 0}; process exited: {process.HasExited}; stderr: {process.Stderr}");
            }

            await Task.Delay(5);
        }
    }
}
