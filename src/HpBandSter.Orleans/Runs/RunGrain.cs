using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json.Nodes;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Diagnostics;
using HpBandSter.Orleans.Hosting;
using HpBandSter.Orleans.Storage;
using HpBandSter.Orleans.Workers;
using HpBandSter.Scheduling;
using HpBandSter.Spaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
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
/// <para>Placement (<see cref="RunPlacementDirector"/>): by activation count, so that concurrent runs spread over
/// the silos, and off silos that leave by themselves. Orleans' default (resource-optimized) placement draws only the
/// square root of the silo count and weighs CPU and memory, which lag behind a burst of new runs; it was seen putting
/// six of eight runs on one of three silos, and a run's grain costs its silo CPU on every exchange.</para>
/// </remarks>
[GrainType("hpbandster-run")]
[RunPlacement]
internal sealed partial class RunGrain(
    ClusterDirectory directory,
    IRunStore store,
    IOptions<HpBandSterOptions> options,
    IOptions<ClusterOptions> cluster,
    ILocalSiloDetails silo,
    ILogger<RunGrain> logger) : Grain, IRunGrain
{
    /// <summary>How long a rebuilt run waits for a silo to say which of its jobs it runs (see <see cref="ReclaimRunningJobsAsync"/>).</summary>
    internal static readonly TimeSpan ReclaimTimeout = TimeSpan.FromSeconds(3);

    private readonly LinkedList<QueuedJob> _queue = new();
    private readonly Dictionary<JobKey, DispatchedJob> _dispatched = [];
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private readonly List<JournalEntry> _unsaved = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RunHistory? _history;
    private double _endedAfter = double.NaN;
    private bool _draining;
    private int _redispatched;
    private IDisposable? _watchdog;
    private double? _waitingForSlotsSince;
    private long _lastSnapshot;
    private int _queuedReported;
    private string? _note;
    private DurableView _durable = new(RunState.Unknown, 0, 0, 0, null);

    private string RunId => this.GetPrimaryKeyString();

    private RunState State => _history?.State ?? RunState.Unknown;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        directory.Subscribe(RunId);
        if (await RunHistory.LoadAsync(store, RunId, reason => LogSnapshotUnusable(RunId, reason), cancellationToken) is { } history)
        {
            Restore(history);
            MarkDurable();
            if (State == RunState.Running)
            {
                StartWatchdog();
                var reclaimed = await ReclaimRunningJobsAsync();
                Fill();
                await FlushAsync();
                Announce();
                LogResumed(RunId, history.Runs.Count, history.Pending.Count, reclaimed);
            }
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        directory.Unsubscribe(RunId);
        HpBandSterMetrics.JobsQueued.Add(-_queuedReported);
        _queuedReported = 0;
        if (State == RunState.Running)
        {
            LogDeactivatedWhileRunning(RunId, reason.ToString());
        }

        return Task.CompletedTask;
    }

    async Task<RunStartResult> IRunGrain.StartAsync(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (State != RunState.Unknown)
        {
            return RunStartResult.Refused($"A run with id '{RunId}' already exists ({State.ToString().ToLowerInvariant()}); choose another run id.");
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

        var createdAt = DateTimeOffset.UtcNow;
        RunHistory history;
        try
        {
            history = RunHistory.Create(spec with { SearchSpace = space.ToJson() }, settings, space, createdAt);
        }
        catch (ArgumentException e)
        {
            return RunStartResult.Refused(e.Message);
        }

        var header = new RunHeader(RunId, RunJournalFormat.WriteSpec(history.Spec), createdAt);
        if (!await store.CreateRunAsync(header, new RunSummary(RunId, "running", spec.Objective, spec.Optimizer, 0, history.EvaluationsPlanned, null, createdAt, createdAt, cluster.Value.ServiceId)))
        {
            return RunStartResult.Refused($"A run with id '{RunId}' already exists in the {store.Description}; choose another run id.");
        }

        _history = history;
        StartWatchdog();
        LogStarted(RunId, spec.Optimizer, spec.Objective, spec.Seed, history.EvaluationsPlanned);
        Fill();
        await FlushAsync();
        Announce();
        return RunStartResult.Started(Status());
    }

    Task<RunStatus> IRunGrain.GetStatusAsync() => Task.FromResult(Status());

    Task<RunSpec?> IRunGrain.GetSpecAsync() => Task.FromResult(_history?.Spec);

    Task<ResultsPage> IRunGrain.GetResultsAsync(ResultsCursor from, int maxRuns)
    {
        var configFrom = Math.Clamp(from.Configs, 0, _durable.Configs);
        var runFrom = Math.Clamp(from.Runs, 0, _durable.Finished);
        var runCount = Math.Clamp(maxRuns, 0, _durable.Finished - runFrom);
        ImmutableArray<ConfigData> configs = [.. (_history?.Configs ?? []).Skip(configFrom).Take(_durable.Configs - configFrom)];
        ImmutableArray<RunData> runs = [.. (_history?.Runs ?? []).Skip(runFrom).Take(runCount)];
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
        await CancelAsync(note: null);
        return Status();
    }

    private async Task CancelAsync(string? note)
    {
        if (State != RunState.Running)
        {
            return;
        }

        _history!.State = RunState.Cancelled;
        _note = note;
        _waitingForSlotsSince = null;
        Journal(RunJournalFormat.CancelledEntry);
        await FlushAsync();
        End();
        foreach (var worker in _dispatched.Values.Select(d => d.Worker).Distinct())
        {
            _ = GrainFactory.GetGrain<IWorkerGrain>(worker).CancelRunAsync(RunId);
        }

        _queue.Clear();
        _dispatched.Clear();
        SyncQueuedMetric();
        LogCancelled(RunId, _history.Runs.Count);
        Changed();
    }

    async Task<RunStatus> IRunGrain.ResumeAsync(int additionalIterations)
    {
        if (_history is not { } history)
        {
            throw new InvalidOperationException($"There is no run with id '{RunId}'.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(additionalIterations);
        if (history.State == RunState.Running && additionalIterations == 0)
        {
            return Status();
        }

        Journal(sequence => RunJournalFormat.ResumedEntry(sequence, additionalIterations));
        history.Resume(additionalIterations);
        _endedAfter = double.NaN;
        _note = null;
        foreach (var pending in history.PendingInAskOrder().Where(p => !_dispatched.ContainsKey(p.Job.Key) && FindQueued(p.Job.Key) is null).ToList())
        {
            _queue.AddLast(new QueuedJob(pending.Job, Attempt: 0, Retries: 0, pending.Submitted));
        }

        StartWatchdog();
        Fill();
        await FlushAsync();
        Announce();
        LogResumedByClient(RunId, additionalIterations, history.Optimizer.PlannedIterations);
        Changed();
        return Status();
    }

    async Task<ExchangeReply> IRunGrain.ExchangeAsync(ExchangeRequest request)
    {
        if (State == RunState.Unknown)
        {
            return new ExchangeReply([], MoreQueued: false, RunKnown: false);
        }

        foreach (var report in request.Reports)
        {
            Record(report);
        }

        Fill();
        var jobs = ImmutableArray.CreateBuilder<JobTicket>();
        while (State == RunState.Running && jobs.Count < request.OfferedSlots && _queue.First is { } first)
        {
            _queue.RemoveFirst();
            jobs.Add(Dispatch(first.Value, request.Worker));
        }

        var more = State == RunState.Running && _queue.Count > 0;
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
        if (State == RunState.Running)
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
        if (State == RunState.Running)
        {
            if (_waitingForSlotsSince is { } since && _history!.Spec.MinSlotsTimeout is { } limit && UnixNow() - since >= limit.TotalSeconds)
            {
                var spec = _history.Spec;
                await CancelAsync($"Cancelled: waited {limit.TotalSeconds:0.#} s for {spec.MinSlots} slots offering '{spec.Objective}' (MinSlots) and the cluster offers {directory.SlotsFor(spec.Objective)}. Start more workers, then resume the run.");
                LogGaveUpWaitingForSlots(RunId, spec.MinSlots, limit.TotalSeconds);
                return;
            }

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
        if (State != RunState.Running || _history is not { } history)
        {
            return;
        }

        var (spec, optimizer) = (history.Spec, history.Optimizer);
        var slots = directory.SlotsFor(spec.Objective);
        if (history.Runs.Count == 0 && history.Pending.Count == 0 && slots < spec.MinSlots)
        {
            // HpBandSter's run(min_n_workers): nothing is asked (so nothing is journaled) until enough slots are there.
            _waitingForSlotsSince ??= UnixNow();
            return;
        }

        _waitingForSlotsSince = null;
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

            var asking = Stopwatch.GetTimestamp();
            var answer = optimizer.Ask();
            HpBandSterMetrics.AskDuration.Record(Stopwatch.GetElapsedTime(asking).TotalMilliseconds, new KeyValuePair<string, object?>("optimizer", spec.Optimizer));
            if (answer.Job is { } job)
            {
                var pending = history.Asked(job, Elapsed());
                Journal(sequence => RunJournalFormat.AskedEntry(sequence, job, pending.Submitted));
                _queue.AddLast(new QueuedJob(job, Attempt: 0, Retries: 0, pending.Submitted));
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
        var spec = _history!.Spec;
        var attempt = queued.Attempt + 1;
        _dispatched[queued.Job.Key] = new DispatchedJob(queued with { Attempt = attempt }, worker, Elapsed());
        return new JobTicket(RunId, WireJobKey.From(queued.Job.Key), attempt, spec.Objective, ConfigEntry.From(queued.Job.Config), spec.SleepSeconds, spec.JobTimeout, spec.Seed);
    }

    private void Record(JobReport report)
    {
        if (State != RunState.Running)
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
                    HpBandSterMetrics.JobsRedispatched.Add(1);
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
        _history!.Told(run, outcome);
        HpBandSterMetrics.ResultsRecorded.Add(
            1,
            new KeyValuePair<string, object?>("optimizer", _history.Spec.Optimizer),
            new KeyValuePair<string, object?>("crashed", outcome.IsCrashed));
    }

    /// <summary>Jobs on silos that membership declared dead go back to the queue, or crash after too many retries.</summary>
    private void RecoverLostJobs()
    {
        var lost = _dispatched.Where(kv => !directory.IsAlive(kv.Value.Worker)).ToList();
        foreach (var (key, dispatched) in lost)
        {
            _dispatched.Remove(key);
            var retries = dispatched.Job.Retries + 1;
            if (retries > _history!.Spec.RetryLimit)
            {
                LogGaveUp(RunId, key.ToString(), dispatched.Worker, retries - 1);
                RecordOutcome(dispatched, JobOutcome.Failure($"Worker silo died ({dispatched.Worker}); the job was dispatched {retries} times, more than the run's retry limit {_history.Spec.RetryLimit}."));
            }
            else
            {
                LogRedispatching(RunId, key.ToString(), dispatched.Worker);
                _queue.AddFirst(dispatched.Job with { Retries = retries });
                _redispatched++;
                HpBandSterMetrics.JobsRedispatched.Add(1);
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
        if (State != RunState.Running || _queue.Count == 0)
        {
            return;
        }

        foreach (var worker in directory.SilosFor(_history!.Spec.Objective))
        {
            if (_announced.Add(worker))
            {
                _ = GrainFactory.GetGrain<IWorkerGrain>(worker).AnnounceWorkAsync(RunId);
            }
        }
    }

    /// <summary>
    /// A rebuilt run has queued every job that was asked and not recorded, but some still run on their silos (the run's
    /// host died, or its activation was dropped, not theirs). Asks the silos offering the objective which of this run's
    /// jobs they hold, and takes those back as dispatched to them with their attempts, so none is evaluated a second
    /// time elsewhere. A silo that does not answer within <see cref="ReclaimTimeout"/> is passed over: its jobs stay
    /// queued, and a late result of theirs is still taken once.
    /// </summary>
    /// <returns>How many jobs were taken back.</returns>
    private async Task<int> ReclaimRunningJobsAsync()
    {
        if (_queue.Count == 0)
        {
            return 0;
        }

        await directory.WaitUntilSettledAsync(options.Value.DiscoveryTimeout);
        var answers = await Task.WhenAll(directory.SilosFor(_history!.Spec.Objective).Select(async silo =>
        {
            try
            {
                return (Silo: silo, Jobs: await GrainFactory.GetGrain<IWorkerGrain>(silo).GetRunningJobsAsync(RunId).WaitAsync(ReclaimTimeout));
            }
            catch (Exception e)
            {
                LogReclaimFailed(e, RunId, silo);
                return (Silo: silo, Jobs: ImmutableArray<RunningJob>.Empty);
            }
        }));

        var now = Elapsed();
        var reclaimed = 0;
        foreach (var (silo, jobs) in answers)
        {
            foreach (var job in jobs)
            {
                if (FindQueued(job.Key.ToJobKey()) is { } queued)
                {
                    _queue.Remove(queued);
                    _dispatched[queued.Value.Job.Key] = new DispatchedJob(queued.Value with { Attempt = job.Attempt }, silo, Math.Max(0, now - job.RunningSeconds));
                    reclaimed++;
                }
            }
        }

        return reclaimed;
    }

    /// <summary>Takes over a run rebuilt from its store and queues again every job that was asked and not recorded.</summary>
    private void Restore(RunHistory history)
    {
        _history = history;
        _lastSnapshot = history.SnapshotSequence;
        if (history.State != RunState.Running)
        {
            _endedAfter = history.LastFinished;
            return;
        }

        foreach (var pending in history.PendingInAskOrder())
        {
            _queue.AddLast(new QueuedJob(pending.Job, Attempt: 0, Retries: 0, pending.Submitted));
        }
    }

    /// <summary>
    /// What the store holds now. Queries interleave with a turn that awaits its append, so they report this, not
    /// the turn's unsaved progress: a client never sees a result that a crash could still take back.
    /// </summary>
    private void MarkDurable() => _durable = _history is { } h ? new(h.State, h.Runs.Count, h.Configs.Count, h.Crashed, h.Incumbent) : _durable;

    private void Journal(Func<long, JournalEntry> entry) => _unsaved.Add(entry(++_history!.Sequence));

    /// <summary>Appends what this turn journaled. On failure the activation is dropped, so the next call rebuilds it from the store.</summary>
    private async Task FlushAsync()
    {
        if (_unsaved.Count == 0)
        {
            MarkDurable();
            SyncQueuedMetric();
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

        SyncQueuedMetric();
        await SnapshotIfDueAsync();
    }

    /// <summary>Brings <c>hpbandster.jobs.queued</c> up to date with this run's queue.</summary>
    private void SyncQueuedMetric()
    {
        var queued = State == RunState.Running ? _queue.Count : 0;
        if (queued != _queuedReported)
        {
            HpBandSterMetrics.JobsQueued.Add(queued - _queuedReported);
            _queuedReported = queued;
        }
    }

    /// <summary>
    /// Saves a snapshot when enough journal entries followed the last one (see
    /// <see cref="HpBandSterOptions.SnapshotInterval"/>). A snapshot is a cache of the journal: failing to save one
    /// is logged and changes nothing else.
    /// </summary>
    private async Task SnapshotIfDueAsync()
    {
        var interval = options.Value.SnapshotInterval;
        var history = _history!;
        if (interval <= 0 || _unsaved.Count > 0 || history.Sequence < _lastSnapshot + Math.Max(interval, _lastSnapshot / 2))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var sequence = history.Sequence;
        var snapshot = history.TakeSnapshot();
        try
        {
            await store.SaveSnapshotAsync(RunId, sequence, snapshot);
            _lastSnapshot = sequence;
            LogSnapshotSaved(RunId, sequence, snapshot.Length, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is RunStoreException or InvalidOperationException or IOException or System.Data.Common.DbException)
        {
            LogSnapshotFailed(e, RunId, sequence);
        }
    }

    private RunSummary Summary() => new(
        RunId,
        State.ToString().ToLowerInvariant(),
        _history!.Spec.Objective,
        _history.Spec.Optimizer,
        _history.Runs.Count,
        _history.EvaluationsPlanned,
        _history.Incumbent?.Loss,
        _history.CreatedAt,
        DateTimeOffset.UtcNow,
        cluster.Value.ServiceId);

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
        if (State != RunState.Running || _history!.Optimizer.PendingCount > 0)
        {
            return;
        }

        _history.State = RunState.Completed;
        End();
        LogCompleted(RunId, _history.Runs.Count, _history.Configs.Count, _history.Crashed, Elapsed());
        Changed();
    }

    private void End()
    {
        _endedAfter = Elapsed();
        _watchdog?.Dispose();
        _watchdog = null;
        // Every silo of the objective hears of it (retention of job directories), not only those that took jobs: a
        // silo that took jobs and restarted since has the run's old directories but no record of them.
        var history = _history!;
        var ending = new RunEnding(history.Spec.Objective, history.State == RunState.Completed, history.Spec.ShutdownWorkers, history.Incumbent?.Key, history.Runs.Count);
        foreach (var worker in directory.SilosFor(history.Spec.Objective))
        {
            _ = GrainFactory.GetGrain<IWorkerGrain>(worker).RunEndedAsync(RunId, ending);
        }
    }

    private void Changed()
    {
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private RunStatus Status()
    {
        if (_history is not { } history)
        {
            return new RunStatus { RunId = RunId, State = RunState.Unknown };
        }

        var (spec, optimizer) = (history.Spec, history.Optimizer);
        var bySilo = _dispatched.Values.GroupBy(d => d.Worker).ToImmutableDictionary(g => g.Key, g => g.Count());
        return new RunStatus
        {
            RunId = RunId,
            State = _durable.State,
            Spec = spec with { WarmStart = null },
            WarmStartSource = spec.WarmStart?.Source,
            WarmStartRuns = history.WarmStart?.Runs.Count ?? 0,
            Note = _waitingForSlotsSince is not null
                ? $"Waiting for {spec.MinSlots} slots offering '{spec.Objective}' before the first job (MinSlots); {directory.SlotsFor(spec.Objective)} available."
                : _note,
            Budgets = [.. history.Budgets],
            IterationsPlanned = optimizer.PlannedIterations,
            IterationsOpened = optimizer.Iterations.Count,
            IterationsFinished = optimizer.Iterations.Count(i => i.IsFinished),
            EvaluationsPlanned = history.EvaluationsPlanned,
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
            StartedAt = history.StartedAt,
        };
    }

    /// <summary>Seconds since the run was created, on the wall clock (runs outlive processes).</summary>
    private double Elapsed() => UnixNow() - _history!.StartedAt;

    private static double UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private readonly record struct QueuedJob(Job Job, int Attempt, int Retries, double Submitted);

    private readonly record struct DurableView(RunState State, int Finished, int Configs, int Crashed, IncumbentInfo? Incumbent);

    private readonly record struct DispatchedJob(QueuedJob Job, string Worker, double Started);
}
