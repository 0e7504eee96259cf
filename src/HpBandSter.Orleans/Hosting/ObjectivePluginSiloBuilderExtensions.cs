using HpBandSter.Orleans.Objectives;

namespace Orleans.Hosting;

/// <summary>Loads objectives from plugin assemblies.</summary>
public static class ObjectivePluginSiloBuilderExtensions
{
    /// <summary>
    /// Loads the assembly at <paramref name="path"/> in its own load context and registers every public class in it that
    /// implements <see cref="IObjective"/> and carries <see cref="ObjectiveAttribute"/>, under the attribute's name.
    /// Returns the names registered.
    /// </summary>
    /// <exception cref="ArgumentException">The assembly cannot be loaded, holds no objective, or one is unusable (the message says which).</exception>
    public static IReadOnlyList<string> AddObjectivePlugin(this ISiloBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var entries = ObjectivePlugin.Load(path);
        foreach (var entry in entries)
        {
            builder.AddObjective(entry.Name, sp => ObjectivePlugin.Create(sp, entry));
        }

        return [.. entries.Select(e => e.Name)];
    }
}
