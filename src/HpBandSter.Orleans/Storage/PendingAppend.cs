namespace HpBandSter.Orleans.Storage;

/// <summary>One caller's append waiting in a group-commit queue; completed after the transaction holding it commits.</summary>
internal sealed class PendingAppend(string runId, IReadOnlyList<JournalEntry> entries, RunSummary summary)
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string RunId { get; } = runId;

    public IReadOnlyList<JournalEntry> Entries { get; } = entries;

    public RunSummary Summary { get; } = summary;

    public Task Task => completion.Task;

    public bool IsCompleted => completion.Task.IsCompleted;

    public void Succeed() => completion.TrySetResult();

    public void Fail(Exception exception) => completion.TrySetException(exception);
}
