using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace HpBandSter.Orleans.Workers;

/// <summary>Activates a silo-pinned grain on the silo named by its key; fails when that silo is not in the cluster.</summary>
internal sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        SiloAddress silo;
        try
        {
            silo = SiloAddress.FromParsableString(key);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            throw new OrleansException($"Worker grain key '{key}' is not a silo address.", e);
        }

        if (!context.GetCompatibleSilos(target).Contains(silo))
        {
            throw new SiloUnavailableException($"The silo {key} is not an active member of the cluster; its worker cannot be activated.");
        }

        return Task.FromResult(silo);
    }
}
