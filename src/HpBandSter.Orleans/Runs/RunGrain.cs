using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json.Nodes;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Hosting;
using HpBandSter.Orleans.Storage;
using HpBandSter.Orleans.Workers;
using HpBandSter.Scheduling;
using HpBandSter.Spaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// One optimization run. It drives a Core <see cref="Optimizer"/> through ask/tell with HpBandSter's job-queue
/// semantics, keeps asked jobs in a queue until a worker offers a slot, records each job's result once, and
/// re-dispatches the jobs of silos that membership declares dead.
/// </summary>
/// <remarks>
/// <para>Queue (HpBandSter's <c>Master._queue_wait</c>): with <c>n</c> slots offering the objective and
/// <c>(min, max) = job_queue_sizes (+ n when dynamic)</c>, the run asks for jobs until <c>max</c> are outstanding,
/// then waits until at most <c>min</c> are before asking again. Outstanding means asked and not yet recorded. With
/// one slot this is "ask one, wait for its result", exactly the sequential loop, so a seeded one-slot run equals
/// the Core optimizer driven directly.</para>
/// <para>Durability: every Ask and every recorded result is appended to the run's journal in the
/// <see cref="IRunStore"/> before the call that caused it returns, so a worker's results are durable before they
/// are acknowledged. On activation the grain replays its journal through the optimizer (same jobs, same random
/// state) and dispatches again every job that was asked and not recorded.</para>
/// <para>Dispatch is pulled: a run announces to the workers that offer its objective that it has jobs; each worker
/// offers free slots in <see cref="IRunGrain.ExchangeAsync"/>, which also carries its finished results. No call
/// waits for an evaluation.</para>
/// </remarks>
[GrainType("hpbandster-run")]
internal sealed partial class RunGrain(
    ClusterDirectory directory,
    IRunStore store,
    IOptions<HpBandSterOptions> options,
    ILocalSiloDetails silo,
    ILogger<RunGrain> logger) : Grain, IRunGrain
{
    private readonly LinkedList<QueuedJob> _queue = new();
    private readonly Dictionary<JobKey, DispatchedJob> _dispatched = [];
    private readonly List<ConfigData> _configs = [];
    private readonly List<RunData> _runs = [];
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private readonly Dictionary<JobKey, QueuedJob> _pending = [];
    private readonly List<JournalEntry> _unsaved = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunSpec? _spec;
    private Optimizer? _optimizer;
    private RunState _state = RunState.Unknown;
    private double _startedAt;
    private double _endedAfter = double.NaN;
    private long _sequence;
    private DateTimeOffset _createdAt;
    private bool _draining;
    private int _crashed;
    private int _redispatched;
    private int _evaluationsPlanned;
    private IncumbentInfo? _incumbent;
    private double _incumbentBudget = double.NegativeInfinity;
    private IDisposable? _watchdog;
    private DurableView _durable = new(RunState.Unknown, 0, 0, 0, null);

    private string RunId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        directory.Subscribe(RunId);
        if (await store.ReadAsync(RunId, useSnapshot: false, cancellationToken: cancellationToken) is { } stored)
        {
            Restore(stored);
            MarkDurable();
            if (_state == RunState.Running)
            {
                StartWatchdog();
                Fill();
                await FlushAsync();
                Announce();
                LogResumed(RunId, _runs.Count, _pending.Count);
            }
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        directory.Unsubscribe(RunId);
        if (_state == RunState.Running)
        {
            LogDeactivatedWhileRunning(RunId, reason.ToString());
        }

        return Task.CompletedTask;
    }

    async Task<RunStartResult> IRunGrain.StartAsync(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (_state != RunState.Unknown)
        {
            return RunStartResult.Refused($"A run with id '{RunId}' already exists ({_state.ToString().ToLowerInvariant()}); choose another run id.");
        }

        OptimizerSettings settings;
        try
        {
            settings = RunSpecValidator.ToSettings(spec);
        }
        catch (ArgumentException e)
        {
            return RunStartResult.Refused(e.Message);
        }

        await directory.WaitUntilSettledAsync(options.Value.DiscoveryTimeout);
        var offered = directory.Workers.SelectMany(w => w.Objectives).ToList();
        var objective = offered.FirstOrDefault(o => o.Name == spec.Objective);
        if (objective is null)
        {
            var names = offered.Select(o => o.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            return RunStartResult.Refused(
                $"Objective: no silo in the cluster offers an objective named '{spec.Objective}'. " +
                (names.Count == 0 ? "No silo offers any objective yet; start a silo with objectives registered (AddObjective)." : $"The cluster offers: {string.Join(", ", names)}."));
        }

        ConfigurationSpace space;
        try
        {
            var json = spec.SearchSpace ?? objective.SearchSpace
                ?? throw new ArgumentException($"SearchSpace: the objective '{spec.Objective}' was registered without a search space; send one with the run.", nameof(spec));
            space = RunSpecValidator.ParseSpace(json);
        }
        catch (ArgumentException e)
        {
            return RunStartResult.Refused(e.Message);
        }

        var optimizer = new Optimizer(settings, space, spec.Seed);
        var planned = SchedulePlanner.Plan(optimizer.Schedule, settings.Scheme, settings.Iterations).TotalEvaluations;
        var createdAt = DateTimeOffset.UtcNow;
        var header = new RunHeader(RunId, RunJournalFormat.WriteSpec(spec with { SearchSpace = space.ToJson() }), createdAt);
        if (!await store.CreateRunAsync(header, new RunSummary(RunId, "running", spec.Objective, spec.Optimizer, 0, planned, null, createdAt, createdAt)))
        {
            return RunStartResult.Refused($"A run with id '{RunId}' already exists in the {store.Description}; choose another run id.");
        }

        _spec = spec;
        _optimizer = optimizer;
        _evaluationsPlanned = planned;
        _state = RunState.Running;
        _createdAt = createdAt;
        _startedAt = createdAt.ToUnixTimeMilliseconds() / 1000.0;
        StartWatchdog();
        LogStarted(RunId, spec.Optimizer, spec.Objective, spec.Seed, _evaluationsPlanned);
        Fill();
        await FlushAsync();
        Announce();
        return RunStartResult.Started(Status());
    }

    Task<RunStatus> IRunGrain.GetStatusAsync() => Task.FromResult(Status());

    Task<ResultsPage> IRunGrain.GetResultsAsync(ResultsCursor from, int maxRuns)
    {
        var configFrom = Math.Clamp(from.Configs, 0, _durable.Configs);
        var runFrom = Math.Clamp(from.Runs, 0, _durable.Finished);
        var runCount = Math.Clamp(maxRuns, 0, _durable.Finished - runFrom);
        ImmutableArray<ConfigData> configs = [.. _configs.Skip(configFrom).Take(_durable.Configs - configFrom)];
        ImmutableArray<RunData> runs = [.. _runs.Skip(runFrom).Take(runCount)];
        return Task.FromResult(new ResultsPage(configs, runs, new ResultsCursor(configFrom + configs.Length, runFrom + runs.Length), Status()));
    }

    async Task<RunStatus> IRunGrain.WaitForChangeAsync(int knownRuns, TimeSpan maxWait)
    {
        var wait = maxWait > TimeSpan.FromSeconds(20) ? TimeSpan.FromSeconds(20) : maxWait;
        if (_durable.Finished <= knownRuns && _durable.State == RunState.Running && wait > TimeSpan.Zero)
        {
            try
            {
                await _changed.Task.WaitAsync(wait);
            }
            catch (TimeoutException)
            {
            }
        }

        return Status();
    }

    async Task<RunStatus> IRunGrain.CancelAsync()
    {
        if (_state == RunState.Running)
        {
            _state = RunState.Cancelled;
            Journal(RunJournalFormat.CancelledEntry);
            await FlushAsync();
            End();
            foreach (var worker in _dispatched.Values.Select(d => d.Worker).Distinct())
            {
                _ = GrainFactory.GetGrain<IWorkerGrain>(worker).CancelRunAsync(RunId);
            }

            _queue.Clear();
            _dispatched.Clear();
            LogCancelled(RunId, _runs.Count);
            Changed();
        }

        return Status();
    }

    async Task<RunStatus> IRunGrain.ResumeAsync(int additionalIterations)
    {
        if (_state == RunState.Unknown || _optimizer is not { } optimizer)
        {
            throw new InvalidOperationException($"There is no run with id '{RunId}'.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(additionalIterations);
        if (_state == RunState.Running && additionalIterations == 0)
        {
            return Status();
        }

        Journal(sequence => RunJournalFormat.ResumedEntry(sequence, additionalIterations));
        ApplyResume(additionalIterations);
        _evaluationsPlanned = SchedulePlanner.Plan(optimizer.Schedule, optimizer.Settings.Scheme, optimizer.PlannedIterations).TotalEvaluations;
        foreach (var queued in _pending.Values.Where(q => !_dispatched.ContainsKey(q.Job.Key) && FindQueued(q.Job.Key) is null).ToList())
        {
            _queue.AddLast(queued);
        }

        StartWatchdog();
        Fill();
        await FlushAsync();
        Announce();
        LogResumedByClient(RunId, additionalIterations, optimizer.PlannedIterations);
        Changed();
        return Status();
    }

    async Task<ExchangeReply> IRunGrain.ExchangeAsync(ExchangeRequest request)
    {
        if (_state == RunState.Unknown)
        {
            return new ExchangeReply([], MoreQueued: false, RunKnown: false);
        }

        foreach (var report in request.Reports)
        {
            Record(report);
        }

        Fill();
        var jobs = ImmutableArray.CreateBuilder<JobTicket>();
        while (_state == RunState.Running && jobs.Count < request.OfferedSlots && _queue.First is { } first)
        {
            _queue.RemoveFirst();
            jobs.Add(Dispatch(first.Value, request.Worker));
        }

        var more = _state == RunState.Running && _queue.Count > 0;
        if (more)
        {
            _announced.Add(request.Worker);
        }
        else
        {
            _announced.Remove(request.Worker);
        }

        // Durable before acknowledged: the reply acknowledges the reports.
        await FlushAsync();
        Announce();
        if (request.Reports.Length > 0)
        {
            Changed();
        }

        return new ExchangeReply(jobs.ToImmutable(), more, RunKnown: true);
    }

    async Task IRunGrain.ClusterChangedAsync()
    {
        if (_state == RunState.Running)
        {
            RecoverLostJobs();
            Fill();
            await FlushAsync();
            _announced.RemoveWhere(w => !directory.IsAlive(w));
            Announce();
        }
    }

    private async Task OnWatchdogAsync(CancellationToken cancellationToken)
    {
        if (_state == RunState.Running)
        {
            // Covers a lost announcement (one-way calls are not acknowledged) and slots that appeared meanwhile.
            RecoverLostJobs();
            Fill();
            await FlushAsync();
            _announced.Clear();
            Announce();
        }
    }

    /// <summary>Asks the optimizer for jobs while the queue policy allows (HpBandSter's <c>_queue_wait</c>).</summary>
    private void Fill()
    {
        if (_state != RunState.Running || _optimizer is not { } optimizer || _spec is not { } spec)
        {
            return;
        }

        var slots = directory.SlotsFor(spec.Objective);
        var (min, max) = spec.DynamicQueueSize ? (spec.JobQueueMin + slots, spec.JobQueueMax + slots) : (spec.JobQueueMin, spec.JobQueueMax);
        while (true)
        {
            var outstanding = optimizer.PendingCount;
            if (_draining)
            {
                if (outstanding > min)
                {
                    break;
                }

                _draining = false;
            }

            if (outstanding >= max)
            {
                _draining = true;
                break;
            }

            var answer = optimizer.Ask();
            if (answer.Job is { } job)
            {
                var queued = Asked(job, Elapsed());
                Journal(sequence => RunJournalFormat.AskedEntry(sequence, job, queued.Submitted));
                _queue.AddLast(queued);
                continue;
            }

            if (answer.Status == AskStatus.Finished)
            {
                Complete();
            }

            break;
        }
    }

    private JobTicket Dispatch(QueuedJob queued, string worker)
    {
        var spec = _spec!;
        var attempt = queued.Attempt + 1;
        _dispatched[queued.Job.Key] = new DispatchedJob(queued with { Attempt = attempt }, worker, Elapsed());
        return new JobTicket(RunId, WireJobKey.From(queued.Job.Key), attempt, spec.Objective, ConfigEntry.From(queued.Job.Config), spec.SleepSeconds, spec.JobTimeout, spec.Seed);
    }

    private void Record(JobReport report)
    {
        if (_state != RunState.Running)
        {
            return;
        }

        var key = report.Key.ToJobKey();
        var isResult = report.Kind is not (JobReportKind.HandedBack or JobReportKind.Cancelled);
        if (_dispatched.TryGetValue(key, out var dispatched))
        {
            if (!isResult)
            {
                if (report.Attempt == dispatched.Job.Attempt)
                {
                    // Not a result: the silo is shutting down (or cancelled for another reason). Evaluate it again, first.
                    _dispatched.Remove(key);
                    _queue.AddFirst(dispatched.Job);
                    _redispatched++;
                }

                return;
            }

            _dispatched.Remove(key);
        }
        else
        {
            // Recorded already, or a late report of an attempt whose silo was declared dead and whose job now
            // waits in the queue: that result is as good as any, so take it. A stale hand-back changes nothing.
            if (!isResult || FindQueued(key) is not { } queued)
            {
                return;
            }

            _queue.Remove(queued);
            dispatched = new DispatchedJob(queued.Value, "?", Elapsed());
        }

        var outcome = report.Kind == JobReportKind.Completed
            ? new JobOutcome(report.Loss, report.InfoJson is { } info ? JsonNode.Parse(info) : null)
            : JobOutcome.Failure(report.Error ?? report.Kind.ToString());
        RecordOutcome(dispatched, outcome);
    }

    private void RecordOutcome(DispatchedJob dispatched, JobOutcome outcome)
    {
        var job = dispatched.Job.Job;
        var loss = outcome.Error is null ? outcome.Loss : null;
        var run = new RunData(WireJobKey.From(job.Key), loss, outcome.Info?.ToJsonString(), dispatched.Job.Submitted, dispatched.Started, Elapsed(), outcome.Error);
        Journal(sequence => RunJournalFormat.ToldEntry(sequence, run));
        Told(run, outcome);
    }

    /// <summary>Tells the optimizer and updates the record (live, and when replaying the journal).</summary>
    private void Told(RunData run, JobOutcome outcome)
    {
        var key = run.Key.ToJobKey();
        _optimizer!.Tell(key, outcome);
        var job = _pending[key].Job;
        _pending.Remove(key);
        _runs.Add(run);
        var loss = run.Loss;
        if (outcome.IsCrashed)
        {
            _crashed++;
        }
        else if (loss is { } l && (job.Budget > _incumbentBudget || (job.Budget == _incumbentBudget && l < _incumbent!.Loss)))
        {
            _incumbentBudget = job.Budget;
            _incumbent = new IncumbentInfo(WireJobKey.From(job.Key), ConfigEntry.From(job.Config), l);
        }
    }

    /// <summary>Jobs on silos that membership declared dead go back to the queue, or crash after too many retries.</summary>
    private void RecoverLostJobs()
    {
        var lost = _dispatched.Where(kv => !directory.IsAlive(kv.Value.Worker)).ToList();
        foreach (var (key, dispatched) in lost)
        {
            _dispatched.Remove(key);
            var retries = dispatched.Job.Retries + 1;
            if (retries > _spec!.RetryLimit)
            {
                LogGaveUp(RunId, key.ToString(), dispatched.Worker, retries - 1);
                RecordOutcome(dispatched, JobOutcome.Failure($"Worker silo died ({dispatched.Worker}); the job was dispatched {retries} times, more than the run's retry limit {_spec.RetryLimit}."));
            }
            else
            {
                LogRedispatching(RunId, key.ToString(), dispatched.Worker);
                _queue.AddFirst(dispatched.Job with { Retries = retries });
                _redispatched++;
            }
        }

        if (lost.Count > 0)
        {
            Changed();
        }
    }

    /// <summary>Tells the workers that offer the objective that jobs are waiting (those not already told).</summary>
    private void Announce()
    {
        if (_state != RunState.Running || _queue.Count == 0)
        {
            return;
        }

        foreach (var worker in directory.SilosFor(_spec!.Objective))
        {
            if (_announced.Add(worker))
            {
                _ = GrainFactory.GetGrain<IWorkerGrain>(worker).AnnounceWorkAsync(RunId);
            }
        }
    }

    /// <summary>Rebuilds the run from its journal: the optimizer sees the same Asks and Tells in the same order.</summary>
    private void Restore(StoredRun stored)
    {
        var spec = RunJournalFormat.ReadSpec(RunId, stored.Header.SpecJson);
        OptimizerSettings settings;
        try
        {
            settings = RunSpecValidator.ToSettings(spec);
        }
        catch (ArgumentException e)
        {
            throw new RunStoreException($"Run '{RunId}': its stored specification is not valid here ({e.Message}).", e);
        }

        _spec = spec;
        _optimizer = new Optimizer(settings, RunSpecValidator.ParseSpace(spec.SearchSpace!), spec.Seed);
        _evaluationsPlanned = stored.Summary.Planned;
        _createdAt = stored.Header.CreatedAt;
        _startedAt = _createdAt.ToUnixTimeMilliseconds() / 1000.0;
        _state = RunState.Running;
        var askOrder = new List<JobKey>();
        var lastFinished = 0.0;
        foreach (var entry in stored.Entries)
        {
            if (entry.Sequence != _sequence + 1)
            {
                throw new RunStoreException($"Run '{RunId}': the journal jumps from sequence {_sequence} to {entry.Sequence}; the run cannot be rebuilt and the store was not changed.");
            }

            _sequence = entry.Sequence;
            switch (entry.Kind)
            {
                case RunJournalFormat.Asked:
                    var (key, submitted) = RunJournalFormat.ReadAsked(RunId, entry);
                    Asked(_optimizer.ReplayAsk(key), submitted);
                    askOrder.Add(key);
                    break;
                case RunJournalFormat.Told:
                    var run = RunJournalFormat.ReadTold(RunId, entry);
                    if (!_pending.ContainsKey(run.Key.ToJobKey()))
                    {
                        throw new RunStoreException($"Run '{RunId}': journal entry {entry.Sequence} records job {run.Key} which was not asked for or was already recorded.");
                    }

                    Told(run, new JobOutcome(run.Loss, null, run.Error));
                    lastFinished = run.Finished;
                    break;
                case RunJournalFormat.Cancelled:
                    _state = RunState.Cancelled;
                    break;
                case RunJournalFormat.Resumed:
                    ApplyResume(RunJournalFormat.ReadResumed(RunId, entry));
                    _evaluationsPlanned = SchedulePlanner.Plan(_optimizer.Schedule, settings.Scheme, _optimizer.PlannedIterations).TotalEvaluations;
                    break;
                default:
                    throw new RunStoreException($"Run '{RunId}': journal entry {entry.Sequence} has an unknown kind '{entry.Kind}' (written by a newer version?).");
            }
        }

        if (_state == RunState.Running && _pending.Count == 0 && _optimizer.IsFinished)
        {
            _state = RunState.Completed;
        }

        if (_state != RunState.Running)
        {
            _endedAfter = lastFinished;
            return;
        }

        foreach (var key in askOrder.Where(_pending.ContainsKey))
        {
            _queue.AddLast(_pending[key]);
        }
    }

    private void ApplyResume(int additionalIterations)
    {
        if (additionalIterations > 0)
        {
            _optimizer!.ExtendIterations(additionalIterations);
        }

        _state = RunState.Running;
        _endedAfter = double.NaN;
    }

    /// <summary>A job the optimizer handed out (live or replayed): pending until told, its configuration recorded when new.</summary>
    private QueuedJob Asked(Job job, double submitted)
    {
        var queued = new QueuedJob(job, Attempt: 0, Retries: 0, Submitted: submitted);
        _pending[job.Key] = queued;
        if (job.IsNewConfig)
        {
            _configs.Add(new ConfigData(job.Id.Iteration, job.Id.Stage, job.Id.Index, ConfigEntry.From(job.Config), job.ConfigInfo.ToJsonString()));
        }

        return queued;
    }

    /// <summary>
    /// What the store holds now. Queries interleave with a turn that awaits its append, so they report this, not
    /// the turn's unsaved progress: a client never sees a result that a crash could still take back.
    /// </summary>
    private void MarkDurable() => _durable = new(_state, _runs.Count, _configs.Count, _crashed, _incumbent);

    private void Journal(Func<long, JournalEntry> entry) => _unsaved.Add(entry(++_sequence));

    /// <summary>Appends what this turn journaled. On failure the activation is dropped, so the next call rebuilds it from the store.</summary>
    private async Task FlushAsync()
    {
        if (_unsaved.Count == 0)
        {
            MarkDurable();
            return;
        }

        JournalEntry[] entries = [.. _unsaved];
        try
        {
            await store.AppendAsync(RunId, entries, Summary());
            _unsaved.Clear();
            MarkDurable();
        }
        catch (Exception e)
        {
            LogJournalFailed(e, RunId, store.Description);
            DeactivateOnIdle();
            throw;
        }
    }

    private RunSummary Summary() => new(
        RunId,
        _state.ToString().ToLowerInvariant(),
        _spec!.Objective,
        _spec.Optimizer,
        _runs.Count,
        _evaluationsPlanned,
        _incumbent?.Loss,
        _createdAt,
        DateTimeOffset.UtcNow);

    private void StartWatchdog() =>
        _watchdog ??= this.RegisterGrainTimer(OnWatchdogAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)) { KeepAlive = true, Interleave = false });

    private LinkedListNode<QueuedJob>? FindQueued(JobKey key)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            if (node.Value.Job.Key == key)
            {
                return node;
            }
        }

        return null;
    }

    private void Complete()
    {
        if (_state != RunState.Running || _optimizer!.PendingCount > 0)
        {
            return;
        }

        _state = RunState.Completed;
        End();
        LogCompleted(RunId, _runs.Count, _configs.Count, _crashed, Elapsed());
        Changed();
    }

    private void End()
    {
        _endedAfter = Elapsed();
        _watchdog?.Dispose();
        _watchdog = null;
    }

    private void Changed()
    {
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private RunStatus Status()
    {
        if (_spec is not { } spec || _optimizer is not { } optimizer)
        {
            return new RunStatus { RunId = RunId, State = RunState.Unknown };
        }

        var bySilo = _dispatched.Values.GroupBy(d => d.Worker).ToImmutableDictionary(g => g.Key, g => g.Count());
        return new RunStatus
        {
            RunId = RunId,
            State = _durable.State,
            Spec = spec,
            Budgets = [.. optimizer.Settings.Kind == OptimizerKind.RandomSearch ? [optimizer.Schedule.MaxBudget] : optimizer.Schedule.Budgets],
            IterationsPlanned = optimizer.PlannedIterations,
            IterationsOpened = optimizer.Iterations.Count,
            IterationsFinished = optimizer.Iterations.Count(i => i.IsFinished),
            EvaluationsPlanned = _evaluationsPlanned,
            Queued = _queue.Count,
            Running = _dispatched.Count,
            Finished = _durable.Finished,
            Crashed = _durable.Crashed,
            Redispatched = _redispatched,
            Incumbent = _durable.Incumbent,
            ElapsedSeconds = double.IsNaN(_endedAfter) ? Elapsed() : _endedAfter,
            SlotsAvailable = directory.SlotsFor(spec.Objective),
            RunningBySilo = bySilo,
            Host = silo.SiloAddress.ToParsableString(),
            StartedAt = _startedAt,
        };
    }

    /// <summary>Seconds since the run was created, on the wall clock (runs outlive processes).</summary>
    private double Elapsed() => UnixNow() - _startedAt;

    private static double UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private readonly record struct QueuedJob(Job Job, int Attempt, int Retries, double Submitted);

    private readonly record struct DurableView(RunState State, int Finished, int Configs, int Crashed, IncumbentInfo? Incumbent);

    private readonly record struct DispatchedJob(QueuedJob Job, string Worker, double Started);
}
