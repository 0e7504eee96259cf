using System.Reflection;
using HpBandSter.Spaces;
using Microsoft.Extensions.DependencyInjection;

namespace HpBandSter.Orleans.Objectives;

/// <summary>Finds the <see cref="ObjectiveAttribute"/> objectives of a plugin assembly, loaded in its own context.</summary>
internal static class ObjectivePlugin
{
    /// <summary>One objective class of a plugin.</summary>
    public sealed record Entry(string Name, Type Type, ConfigurationSpace? SearchSpace);

    /// <summary>
    /// Loads <paramref name="path"/> and lists its objective classes. Throws <see cref="ArgumentException"/> naming the
    /// plugin and the class when the assembly cannot be loaded, holds none, or a class is unusable.
    /// </summary>
    public static IReadOnlyList<Entry> Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ArgumentException($"Plugin '{full}': the file does not exist.", nameof(path));
        }

        Assembly assembly;
        try
        {
            assembly = new PluginLoadContext(full).LoadFromAssemblyPath(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new ArgumentException($"Plugin '{full}': not a loadable .NET assembly: {e.Message}", nameof(path), e);
        }

        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new ArgumentException($"Plugin '{full}': its types cannot be loaded (a dependency missing, or built against another HpBandSter.Orleans?): {e.Message}", nameof(path), e);
        }

        List<Entry> entries = [];
        foreach (var type in types)
        {
            if (type.GetCustomAttribute<ObjectiveAttribute>() is not { } attribute)
            {
                continue;
            }

            if (!typeof(IObjective).IsAssignableFrom(type) || type.IsAbstract || type.IsGenericTypeDefinition)
            {
                throw new ArgumentException($"Plugin '{full}': {type.FullName} has [Objective(\"{attribute.Name}\")] but is not a concrete class implementing {typeof(IObjective).FullName} of this silo.", nameof(path));
            }

            entries.Add(new Entry(attribute.Name, type, SearchSpace(full, type, attribute)));
        }

        if (entries.Count == 0)
        {
            throw new ArgumentException($"Plugin '{full}': no public class implementing IObjective carries [Objective(\"name\")].", nameof(path));
        }

        return entries;
    }

    /// <summary>Creates the objective with dependency injection, with the attribute's search space when the class has none.</summary>
    public static IObjective Create(IServiceProvider services, Entry entry)
    {
        var objective = (IObjective)ActivatorUtilities.CreateInstance(services, entry.Type);
        return entry.SearchSpace is { } space && objective.SearchSpace is null ? new WithSearchSpace(objective, space) : objective;
    }

    private static ConfigurationSpace? SearchSpace(string plugin, Type type, ObjectiveAttribute attribute)
    {
        if (attribute.SearchSpaceJson is not null && attribute.SearchSpaceResource is not null)
        {
            throw new ArgumentException($"Plugin '{plugin}': {type.FullName}: give SearchSpaceJson or SearchSpaceResource, not both.");
        }

        var json = attribute.SearchSpaceJson;
        if (attribute.SearchSpaceResource is { } resource)
        {
            using var stream = type.Assembly.GetManifestResourceStream(resource)
                ?? throw new ArgumentException($"Plugin '{plugin}': {type.FullName}: no embedded resource '{resource}'; it has: {string.Join(", ", type.Assembly.GetManifestResourceNames())}.");
            using var reader = new StreamReader(stream);
            json = reader.ReadToEnd();
        }

        if (json is null)
        {
            return null;
        }

        try
        {
            return ConfigurationSpace.FromJson(json);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new ArgumentException($"Plugin '{plugin}': {type.FullName}: its search space is not ConfigSpace JSON: {e.Message}");
        }
    }

    private sealed class WithSearchSpace(IObjective inner, ConfigurationSpace space) : IObjective
    {
        public ConfigurationSpace? SearchSpace => space;

        public ValueTask<ObjectiveResult> EvaluateAsync(Configuration configuration, double budget, ObjectiveContext context) =>
            inner.EvaluateAsync(configuration, budget, context);
    }
}
