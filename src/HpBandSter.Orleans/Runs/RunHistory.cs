using HpBandSter.Optimizers;
using HpBandSter.Results;
using HpBandSter.Spaces;
using HpBandSter.Orleans.Storage;
using HpBandSter.Scheduling;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// What a run has recorded, and the optimizer that produced it: the configurations and results in recording
/// order, the jobs asked and not yet told, the incumbent and the run's state. The run grain keeps one live; a
/// reader without a cluster rebuilds one from the store with <see cref="Replay"/> (the same code, so what
/// <c>export</c> reads from a store is what the grain would serve).
/// </summary>
internal sealed class RunHistory
{
    private readonly List<ConfigData> _configs = [];
    private readonly List<RunData> _runs = [];
    private readonly Dictionary<JobKey, PendingJob> _pending = [];
    private readonly List<JobKey> _askOrder = [];
    private double _incumbentBudget = double.NegativeInfinity;

    private RunHistory(RunSpec spec, OptimizerSettings settings, ConfigurationSpace space, DateTimeOffset createdAt)
    {
        Spec = spec;
        CreatedAt = createdAt;
        StartedAt = createdAt.ToUnixTimeMilliseconds() / 1000.0;
        WarmStart = RunSpecValidator.ReadWarmStart(spec.WarmStart, space, StartedAt);
        Optimizer = new Optimizer(settings, space, spec.Seed, WarmStart?.ToObservations());
        EvaluationsPlanned = PlannedEvaluations(Optimizer);
        State = RunState.Running;
    }

    /// <summary>The run's specification, its search space filled in.</summary>
    public RunSpec Spec { get; }

    /// <summary>The earlier run's results the model was seeded with (iteration -1, re-timed to end at the run's start), or null.</summary>
    public WarmStartData? WarmStart { get; }

    /// <summary>The optimizer, in the state the recorded asks and tells left it.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>When the run was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary><see cref="CreatedAt"/> in Unix seconds: the origin of every recorded timestamp.</summary>
    public double StartedAt { get; }

    /// <summary>Evaluations the run's iterations plan, including iterations added by a resume.</summary>
    public int EvaluationsPlanned { get; private set; }

    /// <summary>Running, completed or cancelled.</summary>
    public RunState State { get; set; }

    /// <summary>Configurations in the order they were first asked.</summary>
    public IReadOnlyList<ConfigData> Configs => _configs;

    /// <summary>Results in the order they were recorded.</summary>
    public IReadOnlyList<RunData> Runs => _runs;

    /// <summary>Jobs asked and not yet told.</summary>
    public IReadOnlyDictionary<JobKey, PendingJob> Pending => _pending;

    /// <summary>Results without a loss (crashed evaluations).</summary>
    public int Crashed { get; private set; }

    /// <summary>The best result on the largest budget with a result so far.</summary>
    public IncumbentInfo? Incumbent { get; private set; }

    /// <summary>The budgets the run evaluates on, smallest first (RandomSearch: the largest only).</summary>
    public IReadOnlyList<double> Budgets =>
        Optimizer.Settings.Kind == OptimizerKind.RandomSearch ? [Optimizer.Schedule.MaxBudget] : Optimizer.Schedule.Budgets;

    /// <summary>The journal sequence of the last entry this history reflects.</summary>
    public long Sequence { get; set; }

    /// <summary>When the last recorded result finished, in seconds after <see cref="StartedAt"/>.</summary>
    public double LastFinished { get; private set; }

    /// <summary>Starts the history of a new run; <paramref name="spec"/> has its search space filled in.</summary>
    /// <exception cref="ArgumentException">The warm-start data cannot be used (the message names the field).</exception>
    public static RunHistory Create(RunSpec spec, OptimizerSettings settings, ConfigurationSpace space, DateTimeOffset createdAt) =>
        new(spec, settings, space, createdAt);

    /// <summary>
    /// Rebuilds a run from its journal: the optimizer sees the same asks and tells in the same order, so its random
    /// source ends where it was.
    /// </summary>
    /// <exception cref="RunStoreException">The stored specification or a journal entry cannot be used.</exception>
    public static RunHistory Replay(StoredRun stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var runId = stored.Header.RunId;
        var spec = RunJournalFormat.ReadSpec(runId, stored.Header.SpecJson);
        OptimizerSettings settings;
        try
        {
            settings = RunSpecValidator.ToSettings(spec);
        }
        catch (ArgumentException e)
        {
            throw new RunStoreException($"Run '{runId}': its stored specification is not valid here ({e.Message}).", e);
        }
        RunHistory history;
        try
        {
            history = new RunHistory(spec, settings, RunSpecValidator.ParseSpace(spec.SearchSpace!), stored.Header.CreatedAt);
        }
        catch (ArgumentException e)
        {
            throw new RunStoreException($"Run '{runId}': its stored specification is not valid here ({e.Message}).", e);
        }

        foreach (var entry in stored.Entries)
        {
            if (entry.Sequence != history.Sequence + 1)
            {
                throw new RunStoreException($"Run '{runId}': the journal jumps from sequence {history.Sequence} to {entry.Sequence}; the run cannot be rebuilt and the store was not changed.");
            }

            history.Sequence = entry.Sequence;
            switch (entry.Kind)
            {
                case RunJournalFormat.Asked:
                    var (key, submitted) = RunJournalFormat.ReadAsked(runId, entry);
                    history.Asked(history.Optimizer.ReplayAsk(key), submitted);
                    break;
                case RunJournalFormat.Told:
                    var run = RunJournalFormat.ReadTold(runId, entry);
                    if (!history._pending.ContainsKey(run.Key.ToJobKey()))
                    {
                        throw new RunStoreException($"Run '{runId}': journal entry {entry.Sequence} records job {run.Key} which was not asked for or was already recorded.");
                    }

                    history.Told(run, new JobOutcome(run.Loss, null, run.Error));
                    break;
                case RunJournalFormat.Cancelled:
                    history.State = RunState.Cancelled;
                    break;
                case RunJournalFormat.Resumed:
                    history.Resume(RunJournalFormat.ReadResumed(runId, entry));
                    break;
                default:
                    throw new RunStoreException($"Run '{runId}': journal entry {entry.Sequence} has an unknown kind '{entry.Kind}' (written by a newer version?).");
            }
        }

        // Completion is not journaled: a run is complete when every planned evaluation has its result (the count is
        // fixed by the schedule; the optimizer itself only notices at its next Ask).
        if (history.State == RunState.Running && history._pending.Count == 0 && (history.Optimizer.IsFinished || history._runs.Count >= history.EvaluationsPlanned))
        {
            history.State = RunState.Completed;
        }

        return history;
    }

    /// <summary>Pending jobs in the order they were asked (the order to dispatch them again after a crash).</summary>
    public IEnumerable<PendingJob> PendingInAskOrder() =>
        _askOrder.Where(_pending.ContainsKey).Select(k => _pending[k]);

    /// <summary>A job the optimizer handed out (live or replayed): pending until told, its configuration recorded when new.</summary>
    public PendingJob Asked(Job job, double submitted)
    {
        var pending = new PendingJob(job, submitted);
        _pending[job.Key] = pending;
        _askOrder.Add(job.Key);
        if (job.IsNewConfig)
        {
            _configs.Add(new ConfigData(job.Id.Iteration, job.Id.Stage, job.Id.Index, ConfigEntry.From(job.Config), job.ConfigInfo.ToJsonString()));
        }

        return pending;
    }

    /// <summary>Tells the optimizer and records the result (live, and when replaying the journal).</summary>
    public void Told(RunData run, JobOutcome outcome)
    {
        var key = run.Key.ToJobKey();
        Optimizer.Tell(key, outcome);
        var job = _pending[key].Job;
        _pending.Remove(key);
        _runs.Add(run);
        LastFinished = run.Finished;
        if (outcome.IsCrashed)
        {
            Crashed++;
        }
        else if (run.Loss is { } loss && (job.Budget > _incumbentBudget || (job.Budget == _incumbentBudget && loss < Incumbent!.Loss)))
        {
            _incumbentBudget = job.Budget;
            Incumbent = new IncumbentInfo(WireJobKey.From(job.Key), ConfigEntry.From(job.Config), loss);
        }
    }

    /// <summary>Running again, with <paramref name="additionalIterations"/> more iterations planned.</summary>
    public void Resume(int additionalIterations)
    {
        if (additionalIterations > 0)
        {
            Optimizer.ExtendIterations(additionalIterations);
        }

        EvaluationsPlanned = PlannedEvaluations(Optimizer);
        State = RunState.Running;
    }

    private static int PlannedEvaluations(Optimizer optimizer) =>
        SchedulePlanner.Plan(optimizer.Schedule, optimizer.Settings.Scheme, optimizer.PlannedIterations).TotalEvaluations;
}
