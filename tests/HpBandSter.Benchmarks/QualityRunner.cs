using HpBandSter.Objectives;
using HpBandSter.Optimizers;

namespace HpBandSter.Benchmarks;

/// <summary>One run of the quality benchmark in this thread: Core's optimizer, ask and tell, one job at a time.</summary>
internal static class QualityRunner
{
    /// <summary>
    /// Runs <paramref name="kind"/> on the problem until it has spent the total budget (the last evaluation may end
    /// beyond it; <see cref="QualityTrajectory"/> does not count that one). The noise of every evaluation comes from
    /// the seed and the job (<see cref="BenchmarkObjective.NoiseSource"/>), as on a silo's built-in objective.
    /// </summary>
    /// <returns>The evaluations in order, how many iterations the optimizer opened, and how many new configurations
    /// it proposed in all and from its model (HpBandSter's <c>model_based_pick</c>).</returns>
    public static (IReadOnlyList<QualityEvaluation> Evaluations, int Iterations, int NewConfigs, int ModelBased) Run(QualityProblem problem, OptimizerKind kind, long seed)
    {
        var objective = problem.Objective;
        var optimizer = new Optimizer(problem.Settings(kind), objective.Space, seed);
        var evaluations = new List<QualityEvaluation>();
        var spent = 0.0;
        var newConfigs = 0;
        var modelBased = 0;
        while (spent < problem.TotalBudget)
        {
            var answer = optimizer.Ask();
            if (answer.Job is not { } job)
            {
                throw new InvalidOperationException($"{kind} on {problem.Name} (seed {seed}) answered {answer.Status} with nothing pending after {spent} of {problem.TotalBudget}.");
            }

            if (job.IsNewConfig)
            {
                newConfigs++;
                modelBased += job.ConfigInfo["model_based_pick"]?.GetValue<bool>() == true ? 1 : 0;
            }

            var evaluation = objective.Evaluate(job.Config, job.Budget, BenchmarkObjective.NoiseSource(seed, job.Id, job.Budget));
            optimizer.Tell(job.Key, JobOutcome.Success(evaluation.Loss, evaluation.Info));
            evaluations.Add(new QualityEvaluation(job.Id.Iteration, job.Id.Stage, job.Id.Index, job.Budget, evaluation.Loss, objective.Regret(job.Config)));
            spent += job.Budget;
        }

        return (evaluations, optimizer.Iterations.Count, newConfigs, modelBased);
    }
}
