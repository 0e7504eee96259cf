using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// Places a run grain with Orleans' activation-count placement (of two silos drawn at random, the one with fewer
/// recently active grains, the placing silo counting its own recent placements), so that concurrent runs spread
/// over the silos, but only among silos that stay: a silo that leaves by itself (an idle timeout, or worker mode)
/// would take the run's grain with it, and the run, rebuilt elsewhere from its journal, would evaluate its
/// in-flight jobs again. When every candidate leaves by itself, any of them will do.
/// </summary>
internal sealed class RunPlacementDirector(ClusterDirectory directory, IServiceProvider services) : IPlacementDirector
{
    private static readonly ActivationCountBasedPlacement ByActivationCount = new();

    private readonly Lazy<IPlacementDirector> _byActivationCount = new(() => services.GetRequiredKeyedService<IPlacementDirector>(typeof(ActivationCountBasedPlacement)));

    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var staying = compatible.Where(silo => !directory.LeavesByItself(silo)).ToArray();
        if (staying.Length == 0 || staying.Length == compatible.Length)
        {
            return _byActivationCount.Value.OnAddActivation(ByActivationCount, target, context);
        }

        return _byActivationCount.Value.OnAddActivation(ByActivationCount, target, new Candidates(context, staying));
    }

    /// <summary>The placement context with fewer compatible silos.</summary>
    private sealed class Candidates(IPlacementContext context, SiloAddress[] silos) : IPlacementContext
    {
        public SiloAddress LocalSilo => context.LocalSilo;

        public SiloStatus LocalSiloStatus => context.LocalSiloStatus;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => silos;

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) =>
            context.GetCompatibleSilosWithVersions(target).ToDictionary(kv => kv.Key, kv => kv.Value.Where(silos.Contains).ToArray());
    }
}
