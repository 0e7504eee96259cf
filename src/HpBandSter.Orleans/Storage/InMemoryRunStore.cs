using System.Collections.Concurrent;

namespace HpBandSter.Orleans.Storage;

/// <summary>
/// A run store in this process's memory (<c>UseInMemoryRunStore</c>): for tests and for runs that need not survive
/// the process. The silos of one in-process test cluster share one instance (<see cref="Shared"/>, or one of the
/// test's own); give each cluster of a process its own (two clusters of one service id on one store bring back each
/// other's unfinished runs).
/// </summary>
public sealed class InMemoryRunStore : IRunStore
{
    private readonly ConcurrentDictionary<string, Run> _runs = new(StringComparer.Ordinal);

    /// <summary>The store <c>UseInMemoryRunStore()</c> without an argument gives every silo of this process.</summary>
    public static InMemoryRunStore Shared { get; } = new();

    /// <inheritdoc />
    public string Description => "in-memory run store (nothing survives the process)";

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<bool> CreateRunAsync(RunHeader header, RunSummary summary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Task.FromResult(_runs.TryAdd(header.RunId, new Run(header, summary)));
    }

    /// <inheritdoc />
    public Task AppendAsync(string runId, IReadOnlyList<JournalEntry> entries, RunSummary summary, CancellationToken cancellationToken = default)
    {
        var run = Get(runId);
        lock (run)
        {
            var expected = run.Entries.Count + 1;
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Sequence != expected + i)
                {
                    throw new RunStoreConflictException(runId, expected, entries[0].Sequence);
                }
            }

            run.Entries.AddRange(entries);
            run.Summary = summary;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SaveSnapshotAsync(string runId, long sequence, ReadOnlyMemory<byte> snapshot, CancellationToken cancellationToken = default)
    {
        var run = Get(runId);
        lock (run)
        {
            run.Snapshot = (sequence, snapshot.ToArray());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StoredRun?> ReadAsync(string runId, long fromSequence = 0, bool useSnapshot = true, CancellationToken cancellationToken = default)
    {
        if (!_runs.TryGetValue(runId, out var run))
        {
            return Task.FromResult<StoredRun?>(null);
        }

        lock (run)
        {
            var snapshot = useSnapshot && run.Snapshot is { } s && s.Sequence >= fromSequence ? s : ((long Sequence, byte[] Data)?)null;
            var from = snapshot?.Sequence ?? fromSequence;
            return Task.FromResult<StoredRun?>(new StoredRun(run.Header, run.Summary, snapshot?.Sequence ?? 0, snapshot?.Data, [.. run.Entries.Where(e => e.Sequence > from)]));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunSummary>>([.. _runs.Values.Select(r => r.Summary).OrderByDescending(s => s.CreatedAt)]);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListUnfinishedRunIdsAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Task.FromResult<IReadOnlyList<string>>([.. _runs.Values
            .Where(r => r.Summary.State == "running" && (r.Summary.Owner.Length == 0 || r.Summary.Owner == owner))
            .Select(r => r.Header.RunId)]);
    }

    private Run Get(string runId) =>
        _runs.TryGetValue(runId, out var run) ? run : throw new RunStoreException($"There is no run '{runId}' in the {Description}.");

    private sealed class Run(RunHeader header, RunSummary summary)
    {
        public RunHeader Header { get; } = header;

        public RunSummary Summary { get; set; } = summary;

        public List<JournalEntry> Entries { get; } = [];

        public (long Sequence, byte[] Data)? Snapshot { get; set; }
    }
}
