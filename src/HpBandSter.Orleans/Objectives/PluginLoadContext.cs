using System.Reflection;
using System.Runtime.Loader;

namespace HpBandSter.Orleans.Objectives;

/// <summary>
/// The load context of one plugin assembly. Assemblies the silo itself can load (HpBandSter, Orleans, the .NET
/// libraries, ...) are shared with it, so <see cref="IObjective"/> is one type for both; the plugin's other
/// dependencies load from its folder (its <c>.deps.json</c>), isolated from other plugins.
/// </summary>
internal sealed class PluginLoadContext(string pluginPath) : AssemblyLoadContext($"HpBandSter plugin {Path.GetFileName(pluginPath)}", isCollectible: false)
{
    private readonly AssemblyDependencyResolver _resolver = new(pluginPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        try
        {
            // Shared when the host has it: null falls back to the default context.
            Default.LoadFromAssemblyName(assemblyName);
            return null;
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
        }

        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
