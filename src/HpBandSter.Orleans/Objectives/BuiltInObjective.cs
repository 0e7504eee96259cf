using HpBandSter.Objectives;
using HpBandSter.Spaces;

namespace HpBandSter.Orleans.Objectives;

/// <summary>
/// One of Core's benchmark problems (toy, branin, hartmann6, countingones) as a silo objective. Its noise comes
/// from the run's seed and the job (<see cref="BenchmarkObjective.NoiseSource"/>), so a cluster run and a Core run
/// with the same seed record the same losses whichever worker evaluates a job.
/// </summary>
internal sealed class BuiltInObjective(BenchmarkObjective problem) : IObjective
{
    public ConfigurationSpace? SearchSpace => problem.Space;

    public ValueTask<ObjectiveResult> EvaluateAsync(Configuration configuration, double budget, ObjectiveContext context)
    {
        var evaluation = problem.Evaluate(configuration, budget, BenchmarkObjective.NoiseSource(context.Seed, context.Job.Id, budget));
        return ValueTask.FromResult(new ObjectiveResult(evaluation.Loss, evaluation.Info));
    }
}
