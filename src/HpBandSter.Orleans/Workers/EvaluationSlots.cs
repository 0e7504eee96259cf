using HpBandSter.Orleans.Diagnostics;
using System.Collections.Immutable;
using HpBandSter.Orleans.Hosting;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Spaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Workers;

/// <summary>
/// A silo's evaluation slots. Evaluations run on thread-pool threads, off every grain's turn; results go back to
/// their runs in <see cref="IRunGrain.ExchangeAsync"/> calls that also offer the free slots, so one call both
/// acknowledges results and brings the next jobs.
/// </summary>
/// <remarks>
/// <para>Fairness: each free slot is offered to the waiting run (<see cref="Announce"/>) that holds the fewest of
/// this silo's slots, and among those to the one served longest ago, so runs sharing a silo get equal shares.</para>
/// <para>Delivery: a report stays in its run's outbox until an exchange carrying it returns; a failed exchange is
/// retried with back-off. At most one exchange per run is in flight, so reports that finish meanwhile are sent
/// together in the next one. The run grain records each job once, so a report that arrives twice is harmless.</para>
/// <para>Shutdown: the silo stops taking jobs, hands back running ones (they are dispatched again elsewhere without
/// counting as a retry) and waits up to <see cref="WorkerOptions.HandBackTimeout"/> for the runs to acknowledge.</para>
/// </remarks>
internal sealed partial class EvaluationSlots : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private const long IdleLinkLifetimeMs = 10 * 60 * 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RunLink> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<(string RunId, WireJobKey Key, int Attempt), Evaluation> _running = [];
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly IGrainFactory _grains;
    private readonly ObjectiveRegistry _objectives;
    private readonly ILogger<EvaluationSlots> _logger;
    private readonly WorkerOptions _options;
    private readonly string _dataDirectory;
    private int _reserved;
    private long _served;
    private long _lastPrune;
    private bool _accepting = true;
    private volatile bool _silent;
    private Task _pump = Task.CompletedTask;
    private long _lastActivity = Environment.TickCount64;

    public EvaluationSlots(
        IOptions<WorkerOptions> options,
        IOptions<HpBandSterOptions> hpbandster,
        ObjectiveRegistry objectives,
        IGrainFactory grains,
        ILocalSiloDetails silo,
        ILogger<EvaluationSlots> logger)
    {
        _options = options.Value;
        _dataDirectory = Path.GetFullPath(hpbandster.Value.DataDirectory);
        _objectives = objectives;
        _grains = grains;
        _logger = logger;
        Slots = _options.Slots;
        WorkerKey = silo.SiloAddress.ToParsableString();
    }

    /// <summary>This worker's key: the silo's address.</summary>
    public string WorkerKey { get; }

    /// <summary>How many evaluations run at once.</summary>
    public int Slots { get; }

    public WorkerDescription Describe()
    {
        lock (_lock)
        {
            return new WorkerDescription(WorkerKey, Slots, _objectives.Offered, _accepting, _options.IdleTimeout is not null || _options.ExitWhenRunsEnd);
        }
    }

    /// <summary>How long no evaluation has run here (zero while one runs).</summary>
    public TimeSpan IdleFor
    {
        get
        {
            lock (_lock)
            {
                return _running.Count > 0 || _reserved > 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Environment.TickCount64 - _lastActivity);
            }
        }
    }

    /// <summary>Runs this silo evaluates for right now.</summary>
    public IReadOnlyCollection<string> RunsEvaluating()
    {
        lock (_lock)
        {
            return [.. _running.Keys.Select(k => k.RunId).Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>A run has jobs waiting.</summary>
    public void Announce(string runId)
    {
        lock (_lock)
        {
            var link = Link(runId);
            link.Interested = true;
            link.Announcements++;
        }

        Wake();
    }

    /// <summary>
    /// The jobs of <paramref name="runId"/> whose outcome this silo holds or will hold: evaluations running here, and
    /// finished ones whose report the run has not acknowledged yet (their report is on its way).
    /// </summary>
    public ImmutableArray<RunningJob> RunningJobs(string runId)
    {
        var now = Environment.TickCount64;
        lock (_lock)
        {
            var running = _running.Values
                .Where(e => e.Ticket.RunId == runId)
                .Select(e => new RunningJob(e.Ticket.Key, e.Ticket.Attempt, (now - e.StartedAtMs) / 1000.0));
            var unacknowledged = _runs.TryGetValue(runId, out var link)
                ? link.Outbox.Select(r => new RunningJob(r.Key, r.Attempt, 0))
                : [];
            return [.. running, .. unacknowledged];
        }
    }

    /// <summary>Cancels the running evaluations of a run.</summary>
    public void CancelRun(string runId)
    {
        List<Evaluation> cancelled;
        lock (_lock)
        {
            if (_runs.TryGetValue(runId, out var link))
            {
                link.Interested = false;
            }

            cancelled = [.. _running.Values.Where(e => e.Ticket.RunId == runId)];
        }

        foreach (var evaluation in cancelled)
        {
            evaluation.Cancel(JobReportKind.Cancelled);
        }
    }

    /// <summary>A run ended: once it completed, its objective may clean its job directories (off the grain's turn).</summary>
    public void RunEnded(string runId, RunEnding ending)
    {
        if (!ending.Completed || !_objectives.TryGet(ending.Objective, out var objective) || objective is not IRunEndObserver observer)
        {
            return;
        }

        var runDirectory = ObjectiveContext.RunDirectory(_dataDirectory, runId);
        _ = Task.Run(() =>
        {
            try
            {
                CompletedRunSweep.Apply(observer, runId, runDirectory, ending.Incumbent?.ToJobKey(), ending.Finished, _logger);
            }
            catch (Exception e)
            {
                LogRunEndFailed(e, runId, ending.Objective);
            }
        });
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EvaluationSlots), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    public void Dispose()
    {
        // Registered twice (as itself and as a lifecycle participant), so disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        _signal.Dispose();
    }

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        if (Slots > 0)
        {
            // Objectives may block their thread for hours; keep enough pool threads for Orleans itself.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(workers, Slots + (2 * Environment.ProcessorCount)), io);
        }

        _pump = Task.Run(PumpAsync);
        HpBandSterMetrics.SlotsTotal.Add(Slots);
        LogStarted(WorkerKey, Slots, string.Join(", ", _objectives.Offered.Select(o => o.Name)));
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            // An ungraceful stop: no time to hand jobs back; their runs re-dispatch them when membership declares
            // this silo dead. Nothing more is sent, and the evaluations are cancelled.
            _silent = true;
            CancelAll(JobReportKind.HandedBack);
            _stopping.Cancel();
            HpBandSterMetrics.SlotsTotal.Add(-Slots);
            return;
        }

        int running;
        lock (_lock)
        {
            _accepting = false;
            running = _running.Count;
        }

        LogHandingBack(running);
        CancelAll(JobReportKind.HandedBack);

        Wake();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.HandBackTimeout);
        try
        {
            while (!AllReportsDelivered())
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            LogHandBackIncomplete();
        }

        _stopping.Cancel();
        Wake();
        await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        HpBandSterMetrics.SlotsTotal.Add(-Slots);
    }

    private void CancelAll(JobReportKind reason)
    {
        List<Evaluation> running;
        lock (_lock)
        {
            _accepting = false;
            running = [.. _running.Values];
        }

        foreach (var evaluation in running)
        {
            evaluation.Cancel(reason);
        }
    }

    private bool AllReportsDelivered()
    {
        lock (_lock)
        {
            return _runs.Values.All(l => l.Outbox.Count == 0 && !l.InFlight) && _running.Values.All(e => e.Reported);
        }
    }

    private void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (ObjectDisposedException)
        {
            // The silo is gone; nothing is sent any more.
        }
    }

    private async Task PumpAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                // Wake on any event; the timeout re-tries failed exchanges whose back-off has passed.
                await _signal.WaitAsync(TimeSpan.FromMilliseconds(250), token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            List<(RunLink Link, int Offer, ImmutableArray<JobReport> Reports)> exchanges = [];
            lock (_lock)
            {
                var now = Environment.TickCount64;
                var free = _accepting ? Slots - _running.Count - _reserved : 0;
                var offers = new Dictionary<RunLink, int>();
                var eligible = _runs.Values.Where(l => !l.InFlight && now >= l.RetryAt).ToList();

                // Max-min fairness: each free slot goes to the waiting run that holds the fewest slots here, and
                // among those to the one served longest ago.
                // A run reporting a result usually has the next job ready (it asks as soon as it records), so it
                // competes too: its reply can bring that job in the same call.
                var interested = eligible.Where(l => l.Interested || l.Outbox.Count > 0).ToList();
                while (free > 0 && interested.Count > 0)
                {
                    var next = interested[0];
                    foreach (var link in interested)
                    {
                        var held = link.Running + offers.GetValueOrDefault(link);
                        var nextHeld = next.Running + offers.GetValueOrDefault(next);
                        if (held < nextHeld || (held == nextHeld && link.LastServed < next.LastServed))
                        {
                            next = link;
                        }
                    }

                    offers[next] = offers.GetValueOrDefault(next) + 1;
                    next.LastServed = ++_served;
                    free--;
                }

                foreach (var link in eligible)
                {
                    var offer = offers.GetValueOrDefault(link);
                    if (offer == 0 && link.Outbox.Count == 0)
                    {
                        continue;
                    }

                    link.InFlight = true;
                    link.AnnouncementsAtSend = link.Announcements;
                    _reserved += offer;
                    exchanges.Add((link, offer, [.. link.Outbox]));
                }
            }

            foreach (var (link, offer, reports) in exchanges)
            {
                _ = ExchangeAsync(link, offer, reports);
            }
        }
    }

    private async Task ExchangeAsync(RunLink link, int offer, ImmutableArray<JobReport> reports)
    {
        if (_silent)
        {
            return;
        }

        ExchangeReply reply;
        try
        {
            reply = await link.Grain.ExchangeAsync(new ExchangeRequest(WorkerKey, reports, offer));
        }
        catch (Exception e)
        {
            lock (_lock)
            {
                link.InFlight = false;
                _reserved -= offer;
                link.Failures++;
                var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 50 * Math.Pow(2, Math.Min(link.Failures, 10))));
                link.RetryAt = Environment.TickCount64 + (long)backoff.TotalMilliseconds;
            }

            LogExchangeFailed(e, link.RunId, reports.Length, link.Failures);
            Wake();
            return;
        }

        lock (_lock)
        {
            link.InFlight = false;
            link.Failures = 0;
            _reserved -= offer;
            link.Outbox.RemoveRange(0, reports.Length);
            if (!reply.RunKnown)
            {
                link.Outbox.Clear();
                link.Interested = false;
            }
            else
            {
                // An announcement that arrived while the call was out is newer than the reply's "nothing more".
                link.Interested = reply.MoreQueued || link.Announcements != link.AnnouncementsAtSend;
                var started = 0;
                foreach (var ticket in reply.Jobs)
                {
                    if (_running.ContainsKey((ticket.RunId, ticket.Key, ticket.Attempt)))
                    {
                        // This very attempt runs here already: its run was rebuilt from its journal (attempts are
                        // not journaled) and queued the job again. The running evaluation's report answers the new
                        // dispatch too, so the job is not evaluated twice in one job directory.
                        continue;
                    }

                    if (started == offer || !_accepting)
                    {
                        // More than offered, or the silo began shutting down meanwhile: give it straight back.
                        link.Outbox.Add(new JobReport(ticket.Key, ticket.Attempt, JobReportKind.HandedBack, null, null, "The worker could not take the job."));
                        continue;
                    }

                    Start(link, ticket);
                    started++;
                }
            }

            link.LastContact = Environment.TickCount64;
            PruneIdleLinks();
        }

        Wake();
    }

    /// <summary>Forgets runs that have had nothing to do with this silo for a while (called under the lock).</summary>
    private void PruneIdleLinks()
    {
        var now = Environment.TickCount64;
        if (now - _lastPrune < IdleLinkLifetimeMs)
        {
            return;
        }

        _lastPrune = now;
        foreach (var link in _runs.Values.Where(l => l.Outbox.Count == 0 && !l.Interested && !l.InFlight && l.Running == 0 && now - l.LastContact > IdleLinkLifetimeMs).ToList())
        {
            _runs.Remove(link.RunId);
        }
    }

    private void Start(RunLink link, JobTicket ticket)
    {
        var evaluation = new Evaluation(ticket, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token), e => ReportEarly(link, e));
        _running[(ticket.RunId, ticket.Key, ticket.Attempt)] = evaluation;
        _lastActivity = Environment.TickCount64;
        HpBandSterMetrics.EvaluationsStarted.Add(1, new KeyValuePair<string, object?>("objective", ticket.Objective));
        HpBandSterMetrics.SlotsBusy.Add(1);
        link.Running++;
        _ = Task.Run(() => EvaluateAsync(link, evaluation));
    }

    private async Task EvaluateAsync(RunLink link, Evaluation evaluation)
    {
        var report = await RunObjectiveAsync(link, evaluation);
        HpBandSterMetrics.SlotsBusy.Add(-1);
        HpBandSterMetrics.EvaluationsFinished.Add(
            1,
            new KeyValuePair<string, object?>("objective", evaluation.Ticket.Objective),
            new KeyValuePair<string, object?>("outcome", Outcome(report?.Kind ?? evaluation.CancelReason ?? JobReportKind.Cancelled)));
        lock (_lock)
        {
            _running.Remove((evaluation.Ticket.RunId, evaluation.Ticket.Key, evaluation.Ticket.Attempt));
            _lastActivity = Environment.TickCount64;
            link.Running--;
            if (report is not null)
            {
                link.Outbox.Add(report);
            }
        }

        Wake();
    }

    private static string Outcome(JobReportKind kind) => kind switch
    {
        JobReportKind.Completed => "completed",
        JobReportKind.Failed => "failed",
        JobReportKind.TimedOut => "timed_out",
        JobReportKind.HandedBack => "handed_back",
        _ => "cancelled",
    };

    /// <summary>Runs the objective; returns the report to send, or null when one was already sent (timeout, hand-back).</summary>
    private async Task<JobReport?> RunObjectiveAsync(RunLink link, Evaluation evaluation)
    {
        var ticket = evaluation.Ticket;
        if (!_objectives.TryGet(ticket.Objective, out var objective))
        {
            return evaluation.Finish(JobReportKind.Failed, null, null,
                $"The objective '{ticket.Objective}' is not registered on silo {WorkerKey}; it offers: {string.Join(", ", _objectives.Offered.Select(o => o.Name))}.");
        }

        var token = evaluation.Cancellation.Token;
        if (ticket.Timeout is { } timeout)
        {
            evaluation.ArmTimeout(timeout);
        }

        try
        {
            if (ticket.SleepSeconds > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(ticket.SleepSeconds), token);
            }

            var key = ticket.Key.ToJobKey();
            using var scope = _logger.BeginScope("run {RunId} job {Job}", ticket.RunId, key);
            var context = new ObjectiveContext(ticket.RunId, key, ticket.Attempt, ticket.Seed, _dataDirectory, _logger, token);
            var result = await objective.EvaluateAsync(ConfigEntry.ToConfiguration(ticket.Config), key.Budget, context);
            if (result is null)
            {
                return evaluation.Finish(JobReportKind.Failed, null, null, $"The objective '{ticket.Objective}' returned no result (null).");
            }

            return evaluation.Finish(JobReportKind.Completed, result.Loss, result.Info?.ToJsonString(), null);
        }
        catch (Exception e) when (evaluation.CancelReason is { } reason)
        {
            return evaluation.Finish(reason, null, null, Describe(reason, ticket, e));
        }
        catch (OperationCanceledException e) when (_stopping.IsCancellationRequested)
        {
            return evaluation.Finish(JobReportKind.HandedBack, null, null, Describe(JobReportKind.HandedBack, ticket, e));
        }
        catch (Exception e)
        {
            return evaluation.Finish(JobReportKind.Failed, null, null, e.ToString());
        }
        finally
        {
            evaluation.Dispose();
        }
    }

    /// <summary>
    /// Timeouts and hand-backs are reported at once, even when the objective ignores its token and keeps its thread;
    /// its slot stays taken until it returns.
    /// </summary>
    private void ReportEarly(RunLink link, Evaluation evaluation)
    {
        var reason = evaluation.CancelReason ?? JobReportKind.Cancelled;
        if (evaluation.Finish(reason, null, null, Describe(reason, evaluation.Ticket, null)) is { } report)
        {
            lock (_lock)
            {
                link.Outbox.Add(report);
            }

            Wake();
        }
    }

    private static string Describe(JobReportKind reason, JobTicket ticket, Exception? e) => reason switch
    {
        JobReportKind.TimedOut => $"Timed out after {ticket.Timeout?.TotalSeconds:0.###} s (the run's per-job timeout); the evaluation was cancelled.",
        JobReportKind.HandedBack => "The worker's silo shut down and handed the job back.",
        JobReportKind.Cancelled => "The run was cancelled.",
        _ => e?.ToString() ?? reason.ToString(),
    };

    private RunLink Link(string runId)
    {
        if (!_runs.TryGetValue(runId, out var link))
        {
            link = new RunLink(runId, _grains.GetGrain<IRunGrain>(runId));
            _runs[runId] = link;
        }

        return link;
    }

    private sealed class RunLink(string runId, IRunGrain grain)
    {
        public string RunId { get; } = runId;

        public IRunGrain Grain { get; } = grain;

        public List<JobReport> Outbox { get; } = [];

        public bool Interested { get; set; }

        public bool InFlight { get; set; }

        public int Running { get; set; }

        public int Failures { get; set; }

        public long RetryAt { get; set; }

        public long LastServed { get; set; }

        public long LastContact { get; set; }

        public long Announcements { get; set; }

        public long AnnouncementsAtSend { get; set; }
    }
}
