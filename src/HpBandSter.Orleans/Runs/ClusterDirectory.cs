using System.Collections.Immutable;
using HpBandSter.Orleans.Workers;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// This silo's view of the cluster's workers: which live silos offer how many slots and which objectives. Driven by
/// Orleans cluster membership (not by polling a registry of our own): a silo that becomes active is asked for its
/// <see cref="WorkerDescription"/>, a silo declared dead is dropped at once, and the run grains on this silo are told
/// (<see cref="IRunGrain.ClusterChangedAsync"/>) so that they re-dispatch lost jobs and use new slots.
/// </summary>
internal sealed partial class ClusterDirectory(
    IClusterMembershipService membership,
    IClusterManifestProvider manifests,
    IGrainFactory grains,
    ILogger<ClusterDirectory> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SiloEntry> _silos = new(StringComparer.Ordinal);
    private readonly HashSet<string> _subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ObjectiveOffer> _offers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _watch = Task.CompletedTask;

    /// <summary>Descriptions of the live silos that have answered, by silo key.</summary>
    public ImmutableArray<WorkerDescription> Workers
    {
        get
        {
            lock (_lock)
            {
                return [.. _silos.Values.Where(s => s.Description is not null && s.Status == SiloStatus.Active).Select(s => s.Description!)];
            }
        }
    }

    /// <summary>Whether every active silo has described itself.</summary>
    public bool IsSettled
    {
        get
        {
            lock (_lock)
            {
                return _silos.Count > 0 && _silos.Values.All(s => s.Status != SiloStatus.Active || s.Description is not null || s.DescribeFailures >= 3);
            }
        }
    }

    /// <summary>Whether the silo may still report results: not declared dead (or gone).</summary>
    public bool IsAlive(string siloKey)
    {
        lock (_lock)
        {
            return _silos.TryGetValue(siloKey, out var entry) && entry.Status is not (SiloStatus.Dead or SiloStatus.None);
        }
    }

    /// <summary>Whether the silo described itself as one that stops by itself (idle timeout or worker mode).</summary>
    public bool LeavesByItself(SiloAddress silo)
    {
        lock (_lock)
        {
            return _silos.TryGetValue(silo.ToParsableString(), out var entry) && entry.Description is { LeavesByItself: true };
        }
    }

    /// <summary>Total slots of the active, accepting silos that offer <paramref name="objective"/>.</summary>
    public int SlotsFor(string objective) => OfferFor(objective).Slots;

    /// <summary>Keys of the active, accepting silos with slots that offer <paramref name="objective"/>.</summary>
    public IReadOnlyList<string> SilosFor(string objective) => OfferFor(objective).Silos;

    /// <summary>
    /// Slots and silos offering an objective, cached until the cluster changes: run grains ask on every exchange.
    /// </summary>
    private ObjectiveOffer OfferFor(string objective)
    {
        lock (_lock)
        {
            if (!_offers.TryGetValue(objective, out var offer))
            {
                var offering = _silos.Values
                    .Where(e => e.Status == SiloStatus.Active && e.Description is { Accepting: true } d && d.Slots > 0 && d.Objectives.Any(o => o.Name == objective))
                    .Select(e => e.Description!)
                    .ToList();
                offer = new ObjectiveOffer(offering.Sum(d => d.Slots), [.. offering.Select(d => d.Worker)]);
                _offers[objective] = offer;
            }

            return offer;
        }
    }

    /// <summary>Waits until every active silo has described itself, at most <paramref name="timeout"/>.</summary>
    public async Task WaitUntilSettledAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!IsSettled)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Tells the run grain <paramref name="runId"/> (on this silo) about every change.</summary>
    public void Subscribe(string runId)
    {
        lock (_lock)
        {
            _subscribers.Add(runId);
        }
    }

    public void Unsubscribe(string runId)
    {
        lock (_lock)
        {
            _subscribers.Remove(runId);
        }
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterDirectory), ServiceLifecycleStage.Active - 1, OnStartAsync, OnStopAsync);

    public void Dispose()
    {
        // Registered twice (as itself and as a lifecycle participant), so disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _watch = Task.Run(WatchAsync);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        await _watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WatchAsync()
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(_stopping.Token))
            {
                Apply(snapshot);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            LogWatchFailed(e);
        }
    }

    private void Apply(ClusterMembershipSnapshot snapshot)
    {
        var toDescribe = new List<string>();
        var changed = false;
        lock (_lock)
        {
            foreach (var (address, member) in snapshot.Members)
            {
                var key = address.ToParsableString();
                if (!_silos.TryGetValue(key, out var entry))
                {
                    entry = new SiloEntry();
                    _silos[key] = entry;
                }

                if (entry.Status != member.Status)
                {
                    var previous = entry.Status;
                    entry.Status = member.Status;
                    changed = true;
                    if (member.Status == SiloStatus.Dead)
                    {
                        if (previous is SiloStatus.ShuttingDown or SiloStatus.Stopping)
                        {
                            LogSiloLeft(key); // a graceful stop handed its jobs back already
                        }
                        else
                        {
                            LogSiloDead(key);
                        }
                    }
                }

                if (member.Status == SiloStatus.Active && entry.Description is null && !entry.Describing)
                {
                    entry.Describing = true;
                    toDescribe.Add(key);
                }
            }
        }

        foreach (var key in toDescribe)
        {
            _ = DescribeAsync(key);
        }

        if (changed)
        {
            Notify();
        }
    }

    private async Task DescribeAsync(string key)
    {
        await WaitForManifestAsync(SiloAddress.FromParsableString(key));
        for (var attempt = 1; !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                var description = await grains.GetGrain<IWorkerGrain>(key).DescribeAsync().WaitAsync(TimeSpan.FromSeconds(5), _stopping.Token);
                lock (_lock)
                {
                    var entry = _silos[key];
                    entry.Description = description;
                    entry.Describing = false;
                }

                LogSiloDescribed(key, description.Slots, string.Join(", ", description.Objectives.Select(o => o.Name)));
                Notify();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !_stopping.IsCancellationRequested)
            {
                bool giveUp;
                lock (_lock)
                {
                    var entry = _silos[key];
                    entry.DescribeFailures = attempt;
                    giveUp = entry.Status != SiloStatus.Active;
                    if (giveUp)
                    {
                        entry.Describing = false;
                    }
                }

                if (attempt == 3)
                {
                    LogDescribeFailed(e, key);
                    Notify();
                }

                if (giveUp)
                {
                    return;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Waits (at most 10 s) until this silo has the new silo's grain manifest. Membership reports a silo active before
    /// its manifest arrives, and until then placement does not count it as able to host its worker, so describing it
    /// at once fails and Orleans logs each retry as a warning with a stack trace.
    /// </summary>
    private async Task WaitForManifestAsync(SiloAddress silo)
    {
        if (manifests.Current.Silos.ContainsKey(silo))
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var manifest in manifests.Updates.WithCancellation(deadline.Token))
            {
                if (manifest.Silos.ContainsKey(silo))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Try anyway: describing has its own retries and reports a silo that never answers.
        }
    }

    private void Notify()
    {
        string[] subscribers;
        TaskCompletionSource changed;
        lock (_lock)
        {
            _offers.Clear();
            subscribers = [.. _subscribers];
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        foreach (var runId in subscribers)
        {
            _ = NotifyAsync(runId);
        }
    }

    private async Task NotifyAsync(string runId)
    {
        try
        {
            await grains.GetGrain<IRunGrain>(runId).ClusterChangedAsync();
        }
        catch (Exception e)
        {
            LogNotifyFailed(e, runId);
        }
    }

    private sealed record ObjectiveOffer(int Slots, string[] Silos);

    private sealed class SiloEntry
    {
        public SiloStatus Status { get; set; } = SiloStatus.None;

        public WorkerDescription? Description { get; set; }

        public bool Describing { get; set; }

        public int DescribeFailures { get; set; }
    }
}
