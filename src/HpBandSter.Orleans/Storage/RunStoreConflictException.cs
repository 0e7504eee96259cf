using Orleans;

namespace HpBandSter.Orleans.Storage;

/// <summary>An append did not continue the run's journal: another writer appended meanwhile.</summary>
[GenerateSerializer, Alias("HpBandSter.RunStoreConflictException")]
public sealed class RunStoreConflictException : RunStoreException
{
    /// <summary>Creates the exception.</summary>
    public RunStoreConflictException(string runId, long expected, long attempted)
        : base($"Run '{runId}': the journal continues at sequence {expected}, but an append started at {attempted}; another activation of the run wrote meanwhile.")
    {
        RunId = runId;
        Expected = expected;
        Attempted = attempted;
    }

    /// <summary>The run.</summary>
    [Id(0)]
    public string RunId { get; }

    /// <summary>The sequence the journal expected.</summary>
    [Id(1)]
    public long Expected { get; }

    /// <summary>The first sequence of the refused append.</summary>
    [Id(2)]
    public long Attempted { get; }
}
