using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;

namespace HpBandSter.Orleans.Tests;

/// <summary>Runs the Core optimizer directly and compares a cluster run's record with it.</summary>
internal static class RunAssert
{
    public static OptimizationResult CoreRun(RunSpec spec)
    {
        var problem = BenchmarkObjectives.Get(spec.Objective);
        var warmStart = RunSpecValidator.ReadWarmStart(spec.WarmStart, problem.Space);
        var optimizer = new Optimizer(RunSpecValidator.ToSettings(spec), problem.Space, spec.Seed, warmStart?.ToObservations());
        return SequentialRunner.Run(optimizer, job =>
        {
            var evaluation = problem.Evaluate(job.Config, job.Budget, BenchmarkObjective.NoiseSource(spec.Seed, job.Id, job.Budget));
            return JobOutcome.Success(evaluation.Loss, evaluation.Info);
        });
    }

    /// <summary>Same configurations (ids, values, sampler info) and the same runs (ids, budgets, losses) in the same order.</summary>
    public static void SameRecord(OptimizationResult expected, OptimizationResult actual)
    {
        Assert.Equal(expected.Configs.Count, actual.Configs.Count);
        for (var i = 0; i < expected.Configs.Count; i++)
        {
            Assert.Equal(expected.Configs[i].Id, actual.Configs[i].Id);
            Assert.Equal(expected.Configs[i].Config, actual.Configs[i].Config);
            Assert.Equal(expected.Configs[i].Info.ToJsonString(), actual.Configs[i].Info.ToJsonString());
        }

        Assert.Equal(expected.GetAllRuns().Count, actual.GetAllRuns().Count);
        for (var i = 0; i < expected.GetAllRuns().Count; i++)
        {
            Assert.Equal(expected.GetAllRuns()[i].ConfigId, actual.GetAllRuns()[i].ConfigId);
            Assert.Equal(expected.GetAllRuns()[i].Budget, actual.GetAllRuns()[i].Budget);
            Assert.Equal(expected.GetAllRuns()[i].Loss, actual.GetAllRuns()[i].Loss);
            Assert.Equal(expected.GetAllRuns()[i].Info?.ToJsonString(), actual.GetAllRuns()[i].Info?.ToJsonString());
        }
    }
}
