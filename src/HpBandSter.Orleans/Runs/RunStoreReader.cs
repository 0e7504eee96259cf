using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// Reads a run straight from a run store, with no silo running: <c>hpbandster export</c>, <c>analyze</c> and
/// <c>plot</c> use it, and so can any .NET program.
/// </summary>
/// <remarks>
/// The journal is replayed through the optimizer exactly as a run grain does on activation (configurations are not
/// stored, they are what the seeded optimizer asked), so the result equals what the grain serves. Reading does not
/// change the store.
/// </remarks>
public static class RunStoreReader
{
    /// <summary>Reads the run <paramref name="runId"/>, or null when the store has no such run.</summary>
    /// <exception cref="RunStoreException">The store cannot be read, or the run's journal cannot be replayed (the message says why).</exception>
    public static async Task<StoredRunResult?> ReadRunAsync(this IRunStore store, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (await RunHistory.LoadAsync(store, runId, cancellationToken: cancellationToken) is not { } history)
        {
            return null;
        }

        var result = HpBandSterClient.ToResult(history.Spec, history.Budgets, history.StartedAt, history.Configs, history.Runs, history.WarmStart);
        return new StoredRunResult(history.Spec, history.State, history.StoredSummary!, result, history.Pending.Count);
    }
}
