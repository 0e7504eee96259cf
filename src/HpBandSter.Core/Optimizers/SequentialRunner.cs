using HpBandSter.Results;
using HpBandSter.Spaces;

namespace HpBandSter.Optimizers;

/// <summary>
/// Runs an optimizer to the end in this thread, one evaluation at a time (HpBandSter's example 1, "local and
/// sequential"), recording a result. The cluster runs the same optimizer through a run grain instead.
/// </summary>
public static class SequentialRunner
{
    /// <summary>Evaluates jobs with <paramref name="evaluate"/> until the optimizer is finished.</summary>
    /// <param name="optimizer">A fresh optimizer.</param>
    /// <param name="evaluate">The objective: configuration and budget in, outcome out. An exception is recorded as a crashed run with its text.</param>
    /// <param name="clock">Seconds on some clock (default: Unix time), for the timestamps.</param>
    /// <param name="onFinished">Called after each run is recorded (progress, live logs).</param>
    public static OptimizationResult Run(
        Optimizer optimizer,
        Func<Job, JobOutcome> evaluate,
        Func<double>? clock = null,
        Action<Job, Run>? onFinished = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(evaluate);
        clock ??= () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var recorder = new RunRecorder(optimizer, clock());
        while (true)
        {
            var answer = optimizer.Ask();
            if (answer.Status == AskStatus.Finished)
            {
                return recorder.ToResult();
            }

            if (answer.Job is not { } job)
            {
                throw new InvalidOperationException("The optimizer asked to wait for results while none is pending; this is a bug.");
            }

            recorder.Submitted(job, clock());
            JobOutcome outcome;
            try
            {
                outcome = evaluate(job);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                outcome = JobOutcome.Failure(e.ToString());
            }

            var run = recorder.Finished(job.Key, outcome, clock());
            optimizer.Tell(job.Key, outcome);
            onFinished?.Invoke(job, run);
        }
    }

    /// <summary>Convenience overload for an objective given as a function of configuration and budget.</summary>
    public static OptimizationResult Run(Optimizer optimizer, Func<Configuration, double, double> loss) =>
        Run(optimizer, job => JobOutcome.Success(loss(job.Config, job.Budget)));
}
