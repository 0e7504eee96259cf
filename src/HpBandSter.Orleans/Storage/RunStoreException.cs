using Orleans;

namespace HpBandSter.Orleans.Storage;

/// <summary>A run store failed: unreachable, wrong credentials, incompatible schema, a corrupt record, or a missing run.</summary>
[GenerateSerializer, Alias("HpBandSter.RunStoreException")]
public class RunStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
