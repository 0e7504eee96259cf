using System.Diagnostics;

namespace HpBandSter.TestSupport;

/// <summary>How the tests and benchmarks start a .NET program that a project reference copied next to them (<c>dotnet program.dll ...</c>).</summary>
public static class DotnetProgram
{
    /// <summary>The dotnet host that runs this process (DOTNET_HOST_PATH, or this process when it is dotnet), else <c>dotnet</c> on PATH.</summary>
    public static string Host()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
    }

    /// <summary>
    /// Start info for <c>dotnet &lt;dll&gt; args</c> with stdin, stdout and stderr redirected, without the HPBANDSTER_*
    /// variables of this process (the programs read them; a started program stays independent of the caller's
    /// environment), plus <paramref name="environment"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Host())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("HPBANDSTER_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable] = value;
        }

        return start;
    }
}
