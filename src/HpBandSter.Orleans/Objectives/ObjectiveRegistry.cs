using System.Collections.Immutable;
using HpBandSter.Orleans.Workers;

namespace HpBandSter.Orleans.Objectives;

/// <summary>The objectives registered on this silo, by name (one instance each, created at start-up).</summary>
internal sealed class ObjectiveRegistry
{
    private readonly Dictionary<string, IObjective> _objectives = new(StringComparer.Ordinal);

    public ObjectiveRegistry(IEnumerable<ObjectiveRegistration> registrations, IServiceProvider services)
    {
        foreach (var registration in registrations)
        {
            if (_objectives.ContainsKey(registration.Name))
            {
                throw new InvalidOperationException($"AddObjective: the name '{registration.Name}' is registered twice on this silo; give each objective its own name.");
            }

            _objectives[registration.Name] = registration.Create(services)
                ?? throw new InvalidOperationException($"AddObjective: the factory for '{registration.Name}' returned null.");
        }

        Offered = [.. _objectives.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new ObjectiveInfo(kv.Key, kv.Value.SearchSpace?.ToJson()))];
    }

    /// <summary>What this silo advertises.</summary>
    public ImmutableArray<ObjectiveInfo> Offered { get; }

    /// <summary>The objective registered under <paramref name="name"/>.</summary>
    public bool TryGet(string name, out IObjective objective) => _objectives.TryGetValue(name, out objective!);
}
