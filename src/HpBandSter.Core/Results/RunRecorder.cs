using HpBandSter.Optimizers;

namespace HpBandSter.Results;

/// <summary>
/// Collects what a run produces — the configurations as they are handed out and each job's timestamps and
/// outcome — into an <see cref="OptimizationResult"/> (HpBandSter's iteration data plus <c>json_result_logger</c>).
/// </summary>
/// <remarks>
/// Times are whatever clock the caller uses, in seconds (HpBandSter: the master's <c>time.time()</c>);
/// <paramref name="timeRef"/> is that clock at the start of the run. Not thread-safe.
/// </remarks>
/// <param name="settings">The optimizer settings (budgets, eta).</param>
/// <param name="budgets">The stage budgets (the optimizer's schedule).</param>
/// <param name="timeRef">The clock reading at the start of the run.</param>
public sealed class RunRecorder(OptimizerSettings settings, IReadOnlyList<double> budgets, double timeRef)
{
    private readonly List<ConfigRecord> _configs = [];
    private readonly List<Run> _runs = [];
    private readonly Dictionary<JobKey, (double Submitted, double Started)> _open = [];

    /// <summary>Creates a recorder for an optimizer's run.</summary>
    public RunRecorder(Optimizer optimizer, double timeRef)
        : this(optimizer.Settings, optimizer.Schedule.Budgets, timeRef)
    {
    }

    /// <summary>The configurations recorded so far, in the order they were first handed out.</summary>
    public IReadOnlyList<ConfigRecord> Configs => _configs;

    /// <summary>The finished runs, in the order they finished.</summary>
    public IReadOnlyList<Run> Runs => _runs;

    /// <summary>Records a job handed out at <paramref name="time"/>; returns its config record when the configuration is new.</summary>
    public ConfigRecord? Submitted(Job job, double time)
    {
        ArgumentNullException.ThrowIfNull(job);
        _open[job.Key] = (time, time);
        if (!job.IsNewConfig)
        {
            return null;
        }

        var record = new ConfigRecord(job.Id, job.Config, job.ConfigInfo.DeepClone().AsObject());
        _configs.Add(record);
        return record;
    }

    /// <summary>Records when a job's evaluation started (HpBandSter sets 'started' at dispatch).</summary>
    public void Started(JobKey key, double time)
    {
        if (_open.TryGetValue(key, out var times))
        {
            _open[key] = (times.Submitted, time);
        }
    }

    /// <summary>Records a job's outcome at <paramref name="time"/> and returns the run (absolute timestamps).</summary>
    /// <exception cref="InvalidOperationException">The job was never submitted or already finished.</exception>
    public Run Finished(JobKey key, JobOutcome outcome, double time)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!_open.Remove(key, out var times))
        {
            throw new InvalidOperationException($"Job {key} was not submitted or has already finished.");
        }

        var run = new Run(key.Id, key.Budget, outcome.Error is null ? outcome.Loss : null, outcome.Info?.DeepClone(),
            new RunTimestamps(times.Submitted, times.Started, time), outcome.Error);
        _runs.Add(run);
        return run;
    }

    /// <summary>The result so far (timestamps relative to the start of the run).</summary>
    public OptimizationResult ToResult() =>
        new(_configs, _runs, new ResultSettings(settings.MinBudget, settings.MaxBudget, budgets, settings.Eta, timeRef));
}
