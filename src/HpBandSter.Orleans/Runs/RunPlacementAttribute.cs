using Orleans.Placement;

namespace HpBandSter.Orleans.Runs;

/// <summary>Marks the run grain (<see cref="RunPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class RunPlacementAttribute() : PlacementAttribute(RunPlacement.Instance);
