using System.Diagnostics;
using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using HpBandSter.Results;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// Exactness (issue "Durable runs", §1 and §5 d): a seeded run with one slot, whose whole cluster is killed
/// (SIGKILL) at points drawn from a seeded random source and restarted, ends with the same configurations,
/// budgets and losses as the same run never interrupted, each evaluation recorded once.
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class ExactnessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_seeded_one_slot_run_killed_with_its_whole_cluster_three_times_at_random_points_ends_as_if_never_interrupted()
    {
        var spec = new RunSpec
        {
            Objective = "toy",
            Optimizer = "bohb",
            MinBudget = 9,
            MaxBudget = 81,
            Iterations = 6,
            Seed = 5,
            SleepSeconds = 0.03,
        };
        var uninterrupted = CoreRun(spec);
        var planned = uninterrupted.RunCount;
        var kills = new Random(20261129);
        int[] killAfter = [.. Enumerable.Range(0, 3).Select(_ => kills.Next(1, planned - 1)).Order()];
        output.WriteLine($"{planned} evaluations planned; the whole cluster is killed once at least {string.Join(", ", killAfter)} results are stored.");

        await using var cluster = await SiloCluster.StartAsync(siloCount: 1, slots: 1, objectives: "toy");
        const string runId = "exactness";
        var started = await cluster.Client.StartRunAsync(runId, spec);
        Assert.True(started.Accepted, $"The run was refused: {started.Error}\n{cluster.Tails}");
        await using var store = new SqliteRunStore(Path.Combine(cluster.DataDirectory, "runs.db"));

        foreach (var point in killAfter)
        {
            var before = await WaitForStoreAsync(store, runId, s => s.Finished >= point || s.State != "running", cluster, $"{point} results are stored");
            Assert.True(before.State == "running", $"The run ended before the kill at {point}: {before}");
            var silo = cluster.Primary;
            silo.Kill();
            await silo.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var atKill = (await ReadAsync(store, runId))!;
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} SIGKILL the cluster (pid {silo.Pid}) with {atKill.Finished} of {planned} results stored.");

            var restart = Stopwatch.StartNew();
            await cluster.RestartLocalhostAsync(siloCount: 1);
            output.WriteLine($"New cluster ready in {restart.Elapsed.TotalSeconds:0.00} s; nothing asks it to resume the run.");
        }

        var done = await WaitForStoreAsync(store, runId, s => s.State != "running", cluster, "the stored run is completed");
        Assert.Equal("completed", done.State);
        var stored = (await store.ReadRunAsync(runId))!;
        Assert.Equal(0, stored.Pending);

        Assert.Equal(
            uninterrupted.Configs.Select(c => (c.Id, Config: c.Config.ToString())),
            stored.Result.Configs.Select(c => (c.Id, Config: c.Config.ToString())));
        Assert.Equal(
            uninterrupted.Configs.Select(c => c.Info.ToJsonString()),
            stored.Result.Configs.Select(c => c.Info.ToJsonString()));
        Assert.Equal(
            uninterrupted.GetAllRuns().Select(r => (r.ConfigId, r.Budget, r.Loss)),
            stored.Result.GetAllRuns().Select(r => (r.ConfigId, r.Budget, r.Loss)));
        Assert.Equal(planned, stored.Result.RunCount);
        Assert.Contains(stored.Result.Configs, c => c.Info["model_based_pick"]?.GetValue<bool>() == true);
        output.WriteLine($"Completed with {stored.Result.RunCount} results, equal to the uninterrupted run.");
    }

    /// <summary>The same run on Core's optimizer, sequentially and never interrupted.</summary>
    private static OptimizationResult CoreRun(RunSpec spec)
    {
        var problem = BenchmarkObjectives.Get(spec.Objective);
        var optimizer = new Optimizer(RunSpecValidator.ToSettings(spec), problem.Space, spec.Seed);
        return SequentialRunner.Run(optimizer, job =>
        {
            var evaluation = problem.Evaluate(job.Config, job.Budget, BenchmarkObjective.NoiseSource(spec.Seed, job.Id, job.Budget));
            return JobOutcome.Success(evaluation.Loss, evaluation.Info);
        });
    }

    private static async Task<RunSummary?> ReadAsync(IRunStore store, string runId) =>
        (await store.ListRunsAsync()).FirstOrDefault(r => r.RunId == runId);

    /// <summary>Polls the run store (no grain call) until <paramref name="condition"/> holds.</summary>
    private static async Task<RunSummary> WaitForStoreAsync(IRunStore store, string runId, Func<RunSummary, bool> condition, SiloCluster cluster, string what)
    {
        var clock = Stopwatch.StartNew();
        RunSummary? last = null;
        while (clock.Elapsed < ProgressTimeout)
        {
            last = await ReadAsync(store, runId);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"Timed out after {ProgressTimeout.TotalSeconds} s waiting until {what}; last stored summary: {last}\n{cluster.Tails}");
    }
}
