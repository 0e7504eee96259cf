using Orleans.Placement;

namespace HpBandSter.Orleans.Workers;

/// <summary>Marks a grain whose key is a silo address (<see cref="SiloPinnedPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(SiloPinnedPlacement.Instance);
