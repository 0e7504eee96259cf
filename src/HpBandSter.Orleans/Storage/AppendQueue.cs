using System.Threading.Channels;

namespace HpBandSter.Orleans.Storage;

/// <summary>
/// Group commit: one writer loop drains every pending append into one batch and hands it to the store, which writes
/// the batch in one transaction and completes each caller (a conflict fails only its own caller).
/// </summary>
internal sealed class AppendQueue : IAsyncDisposable
{
    /// <summary>At most this many appends share one transaction (bounds the transaction's size and latency).</summary>
    internal const int MaxBatch = 256;

    private readonly Channel<PendingAppend> channel = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly Func<IReadOnlyList<PendingAppend>, Task> commitBatch;
    private readonly Func<Exception, RunStoreException> wrap;
    private readonly Task loop;

    /// <param name="commitBatch">Writes a batch in one transaction; completes each append, or throws (then every append it did not complete fails).</param>
    /// <param name="wrap">Turns an unexpected failure into the store's error.</param>
    public AppendQueue(Func<IReadOnlyList<PendingAppend>, Task> commitBatch, Func<Exception, RunStoreException> wrap)
    {
        this.commitBatch = commitBatch;
        this.wrap = wrap;
        loop = Task.Run(RunAsync);
    }

    public Task EnqueueAsync(PendingAppend append)
    {
        if (!channel.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(AppendQueue), "The run store is disposed.");
        }

        return append.Task;
    }

    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingAppend>();
        while (await channel.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && channel.Reader.TryRead(out var append))
            {
                batch.Add(append);
            }

            try
            {
                await commitBatch(batch).ConfigureAwait(false);
                foreach (var append in batch)
                {
                    if (!append.IsCompleted)
                    {
                        append.Fail(new RunStoreException($"Run '{append.RunId}': the append was neither committed nor refused (internal error)."));
                    }
                }
            }
            catch (Exception ex)
            {
                var error = ex as RunStoreException ?? wrap(ex);
                foreach (var append in batch)
                {
                    append.Fail(error);
                }
            }
        }
    }
}
