using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>Where a run is in its life.</summary>
[GenerateSerializer, Alias("HpBandSter.RunState")]
public enum RunState
{
    /// <summary>No run was started under this id.</summary>
    Unknown,

    /// <summary>Asking, dispatching and recording.</summary>
    Running,

    /// <summary>Every planned evaluation is recorded.</summary>
    Completed,

    /// <summary>Cancelled by a client; it keeps what it recorded.</summary>
    Cancelled,
}
