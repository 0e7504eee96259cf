using Orleans.Runtime;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// Where run grains go (<see cref="RunPlacementDirector"/>): by activation count, among the silos that do not leave
/// by themselves.
/// </summary>
[Serializable]
internal sealed class RunPlacement : PlacementStrategy
{
    public static RunPlacement Instance { get; } = new();
}
