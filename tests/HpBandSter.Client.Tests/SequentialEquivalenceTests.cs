using System.Text.Json;
using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;
using HpBandSter.Spaces;

namespace HpBandSter.Client.Tests;

/// <summary>
/// With one slot the run grain keeps one job outstanding, which is the sequential loop: a seeded
/// <c>run --workers 1</c> must find what Core's <see cref="SequentialRunner"/> finds with the same noise.
/// </summary>
public sealed class SequentialEquivalenceTests
{
    [Fact]
    public void OneWorkerRunEqualsCoreSequentialRun()
    {
        using var data = new TempDirectory();
        var (exit, output, error) = CliRunner.Run(
            "run", "--objective", "toy", "--optimizer", "bohb", "--min-budget", "9", "--max-budget", "243", "--iterations", "4", "--seed", "1",
            "--workers", "1", "--json", "--data-dir", data.Path);
        Assert.True(exit == 0, $"exit {exit}; stderr: {error}");
        var expected = CoreRun(new RunSpec { Objective = "toy", Optimizer = "bohb", MinBudget = 9, MaxBudget = 243, Iterations = 4, Seed = 1 }, space: null);
        AssertSameIncumbent(expected, output, "x");
    }

    [Fact]
    public void SpaceFileIsTheSpaceTheRunSearches()
    {
        using var data = new TempDirectory();
        Directory.CreateDirectory(data.Path);
        var space = new SearchSpaceBuilder().Float("x", 0.25, 0.5).Build();
        var spaceFile = data.File("space.json");
        File.WriteAllText(spaceFile, space.ToJson());
        var (exit, output, error) = CliRunner.Run(
            "run", "--objective", "toy", "--iterations", "2", "--seed", "5", "--workers", "1", "--space", spaceFile, "--json", "--data-dir", data.Path);
        Assert.True(exit == 0, $"exit {exit}; stderr: {error}");
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.InRange(doc.RootElement.GetProperty("incumbent").GetProperty("config").GetProperty("x").GetDouble(), 0.25, 0.5);
        }

        var expected = CoreRun(new RunSpec { Objective = "toy", MinBudget = 9, MaxBudget = 243, Iterations = 2, Seed = 5 }, space);
        AssertSameIncumbent(expected, output, "x");
    }

    private static OptimizationResult CoreRun(RunSpec spec, ConfigurationSpace? space)
    {
        var problem = BenchmarkObjectives.Get(spec.Objective);
        var optimizer = new Optimizer(RunSpecValidator.ToSettings(spec), space ?? problem.Space, spec.Seed);
        return SequentialRunner.Run(optimizer, job =>
        {
            var evaluation = problem.Evaluate(job.Config, job.Budget, BenchmarkObjective.NoiseSource(spec.Seed, job.Id, job.Budget));
            return JobOutcome.Success(evaluation.Loss, evaluation.Info);
        });
    }

    private static void AssertSameIncumbent(OptimizationResult expected, string json, string parameter)
    {
        var run = expected.GetIncumbentRun();
        Assert.NotNull(run);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("completed", root.GetProperty("state").GetString());
        Assert.Equal(expected.ConfigCount, root.GetProperty("configs").GetInt32());
        Assert.Equal(expected.RunCount, root.GetProperty("runs").GetInt32());
        var incumbent = root.GetProperty("incumbent");
        var id = incumbent.GetProperty("config_id").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal([run.ConfigId.Iteration, run.ConfigId.Stage, run.ConfigId.Index], id);
        Assert.Equal(expected[run.ConfigId].Config.GetDouble(parameter), incumbent.GetProperty("config").GetProperty(parameter).GetDouble());
        Assert.Equal(run.Loss, incumbent.GetProperty("loss").GetDouble());
        Assert.Equal(run.Budget, incumbent.GetProperty("budget").GetDouble());
        Assert.Contains($"\"total_budget_full_evaluations\":{PythonFloat.Format(expected.FullEvaluations)}", json, StringComparison.Ordinal);
    }
}
