using System.Collections.Immutable;
using System.Text.Json.Nodes;
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

    private RunHistory(RunSpec spec, OptimizerSettings settings, ConfigurationSpace space, DateTimeOffset createdAt, string? optimizerSnapshot = null)
    {
        Spec = spec;
        CreatedAt = createdAt;
        StartedAt = createdAt.ToUnixTimeMilliseconds() / 1000.0;
        WarmStart = RunSpecValidator.ReadWarmStart(spec.WarmStart, space, StartedAt);
        Optimizer = optimizerSnapshot is null
            ? new Optimizer(settings, space, spec.Seed, WarmStart?.ToObservations())
            : Optimizer.FromSnapshot(settings, space, spec.Seed, optimizerSnapshot);
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

    /// <summary>The store's summary row when this history was loaded from a store (null for a new run).</summary>
    public RunSummary? StoredSummary { get; private set; }

    /// <summary>The journal sequence of the snapshot this history was loaded from, or 0.</summary>
    public long SnapshotSequence { get; private set; }

    /// <summary>When the last recorded result finished, in seconds after <see cref="StartedAt"/>.</summary>
    public double LastFinished { get; private set; }

    /// <summary>Starts the history of a new run; <paramref name="spec"/> has its search space filled in.</summary>
    /// <exception cref="ArgumentException">The warm-start data cannot be used (the message names the field).</exception>
    public static RunHistory Create(RunSpec spec, OptimizerSettings settings, ConfigurationSpace space, DateTimeOffset createdAt) =>
        new(spec, settings, space, createdAt);

    /// <summary>
    /// Loads a run from its store: from its latest snapshot and the journal entries after it when there is a usable
    /// snapshot, otherwise by replaying the whole journal. Null when the store has no such run.
    /// </summary>
    /// <param name="store">The run store.</param>
    /// <param name="runId">The run.</param>
    /// <param name="snapshotProblem">Called with the reason when a snapshot exists but cannot be used (the run is then replayed from its journal).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="RunStoreException">The journal cannot be read or replayed.</exception>
    public static async Task<RunHistory?> LoadAsync(IRunStore store, string runId, Action<string>? snapshotProblem = null, CancellationToken cancellationToken = default)
    {
        var stored = await store.ReadAsync(runId, useSnapshot: true, cancellationToken: cancellationToken);
        if (stored?.Snapshot is not { } snapshot)
        {
            return stored is null ? null : Replay(stored);
        }

        try
        {
            return Replay(stored, RunSnapshotFormat.Read(runId, snapshot));
        }
        catch (Exception e) when (e is SnapshotUnusableException or InvalidDataException)
        {
            snapshotProblem?.Invoke(e.Message);
        }

        var whole = await store.ReadAsync(runId, useSnapshot: false, cancellationToken: cancellationToken);
        return whole is null ? null : Replay(whole);
    }

    /// <summary>
    /// Rebuilds a run from its journal (from a snapshot's contents and the entries after it, when given): the
    /// optimizer sees the same asks and tells in the same order, so its random source ends where it was.
    /// </summary>
    /// <exception cref="RunStoreException">The stored specification or a journal entry cannot be used.</exception>
    public static RunHistory Replay(StoredRun stored, RunSnapshotFormat.Contents? snapshot = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var runId = stored.Header.RunId;
        var spec = RunJournalFormat.ReadSpec(runId, stored.Header.SpecJson);
        OptimizerSettings settings;
        ConfigurationSpace space;
        try
        {
            settings = RunSpecValidator.ToSettings(spec);
            space = RunSpecValidator.ParseSpace(spec.SearchSpace!);
        }
        catch (ArgumentException e)
        {
            throw new RunStoreException($"Run '{runId}': its stored specification is not valid here ({e.Message}).", e);
        }

        RunHistory history;
        if (snapshot is null)
        {
            history = Create(spec, settings, space, stored.Header.CreatedAt);
        }
        else
        {
            try
            {
                if (snapshot.Sequence != stored.SnapshotSequence)
                {
                    throw new InvalidDataException($"the snapshot says it follows entry {snapshot.Sequence}, the store {stored.SnapshotSequence}");
                }

                history = new RunHistory(spec, settings, space, stored.Header.CreatedAt, snapshot.OptimizerSnapshot);
                history.Restore(snapshot);
                history.SnapshotSequence = snapshot.Sequence;
            }
            catch (Exception e) when (e is InvalidDataException or KeyNotFoundException or ArgumentException or InvalidOperationException)
            {
                throw new SnapshotUnusableException($"Run '{runId}': its snapshot at entry {snapshot.Sequence} cannot be used ({e.Message}).", e);
            }
        }

        history.StoredSummary = stored.Summary;
        foreach (var entry in stored.Entries)
        {
            try
            {
                history.Apply(runId, entry);
            }
            catch (InvalidOperationException e) when (snapshot is not null)
            {
                // The optimizer restored from the snapshot asks something else than the journal recorded: distrust the snapshot.
                throw new SnapshotUnusableException($"Run '{runId}': after its snapshot at entry {snapshot.Sequence}, entry {entry.Sequence} does not replay ({e.Message}).", e);
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

    /// <summary>The run as a snapshot (see <see cref="RunSnapshotFormat"/>), after journal entry <see cref="Sequence"/>.</summary>
    public byte[] TakeSnapshot() => RunSnapshotFormat.Write(this, Optimizer.TakeSnapshot());

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
        else if (run.Loss is { } loss)
        {
            Promote(WireJobKey.From(job.Key), ConfigEntry.From(job.Config), loss);
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

    private void Apply(string runId, JournalEntry entry)
    {
        if (entry.Sequence != Sequence + 1)
        {
            throw new RunStoreException($"Run '{runId}': the journal jumps from sequence {Sequence} to {entry.Sequence}; the run cannot be rebuilt and the store was not changed.");
        }

        Sequence = entry.Sequence;
        switch (entry.Kind)
        {
            case RunJournalFormat.Asked:
                var (key, submitted) = RunJournalFormat.ReadAsked(runId, entry);
                Asked(Optimizer.ReplayAsk(key), submitted);
                break;
            case RunJournalFormat.Told:
                var run = RunJournalFormat.ReadTold(runId, entry);
                if (!_pending.ContainsKey(run.Key.ToJobKey()))
                {
                    throw new RunStoreException($"Run '{runId}': journal entry {entry.Sequence} records job {run.Key} which was not asked for or was already recorded.");
                }

                Told(run, new JobOutcome(run.Loss, null, run.Error));
                break;
            case RunJournalFormat.Cancelled:
                State = RunState.Cancelled;
                break;
            case RunJournalFormat.Resumed:
                Resume(RunJournalFormat.ReadResumed(runId, entry));
                break;
            default:
                throw new RunStoreException($"Run '{runId}': journal entry {entry.Sequence} has an unknown kind '{entry.Kind}' (written by a newer version?).");
        }
    }

    /// <summary>Takes over a snapshot's record (the optimizer was restored from the same snapshot).</summary>
    private void Restore(RunSnapshotFormat.Contents snapshot)
    {
        Sequence = snapshot.Sequence;
        State = snapshot.State;
        _configs.AddRange(snapshot.Configs);
        var configs = _configs.ToDictionary(c => new ConfigId(c.Iteration, c.Stage, c.Index));
        foreach (var run in snapshot.Runs)
        {
            _runs.Add(run);
            LastFinished = run.Finished;
            var outcome = new JobOutcome(run.Loss, null, run.Error);
            if (outcome.IsCrashed)
            {
                Crashed++;
            }
            else
            {
                Promote(run.Key, configs[run.Key.ToJobKey().Id].Config, run.Loss!.Value);
            }
        }

        foreach (var (key, isNewConfig, submitted) in snapshot.Pending)
        {
            var jobKey = key.ToJobKey();
            var config = configs[jobKey.Id];
            var job = new Job(jobKey.Id, ConfigEntry.ToConfiguration(config.Config), jobKey.Budget, isNewConfig, JsonNode.Parse(config.InfoJson)?.AsObject() ?? []);
            _pending[jobKey] = new PendingJob(job, submitted);
            _askOrder.Add(jobKey);
        }

        var expected = Optimizer.PendingJobs.ToHashSet();
        if (!expected.SetEquals(_pending.Keys))
        {
            throw new InvalidDataException($"The snapshot's pending jobs ({_pending.Count}) differ from its optimizer's ({expected.Count}).");
        }
    }

    private void Promote(WireJobKey key, ImmutableArray<ConfigEntry> config, double loss)
    {
        if (key.Budget > _incumbentBudget || (key.Budget == _incumbentBudget && loss < Incumbent!.Loss))
        {
            _incumbentBudget = key.Budget;
            Incumbent = new IncumbentInfo(key, config, loss);
        }
    }

    private static int PlannedEvaluations(Optimizer optimizer) =>
        SchedulePlanner.Plan(optimizer.Schedule, optimizer.Settings.Scheme, optimizer.PlannedIterations).TotalEvaluations;

    /// <summary>A snapshot that cannot be used; the run is then rebuilt from its whole journal.</summary>
    private sealed class SnapshotUnusableException(string message, Exception inner) : Exception(message, inner);
}
