using Orleans.Runtime;

namespace HpBandSter.Orleans.Workers;

/// <summary>Places a grain on the silo whose address is the grain's key, and nowhere else.</summary>
[Serializable]
internal sealed class SiloPinnedPlacement : PlacementStrategy
{
    public static SiloPinnedPlacement Instance { get; } = new();
}
