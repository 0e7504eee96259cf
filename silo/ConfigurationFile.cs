using System.Text.Json;
using HpBandSter.Orleans.Objectives;
using Microsoft.Extensions.Configuration;

namespace HpBandSter.Silo;

/// <summary>
/// The silo's JSON configuration file (appsettings.json format): <c>--config FILE</c> (or HPBANDSTER_CONFIG), else
/// <c>./appsettings.json</c> when it exists. Options live under <c>HpBandSter</c> with their names in PascalCase
/// (<c>--silo-port</c> → <c>HpBandSter:SiloPort</c>); command objectives under <c>HpBandSter:CommandObjectives</c>
/// (see <see cref="CommandObjectiveSettings"/>).
/// </summary>
internal sealed class ConfigurationFile
{
    private const string DefaultName = "appsettings.json";

    private readonly IConfigurationRoot _root;

    private ConfigurationFile(string path, IConfigurationRoot root)
    {
        Path = path;
        _root = root;
    }

    /// <summary>The file's full path (for messages).</summary>
    public string Path { get; }

    /// <summary>The file's settings (command objectives are read from here and the environment together).</summary>
    public IConfiguration Root => _root;

    /// <summary>
    /// Loads the file named on the command line, else by the environment, else <c>./appsettings.json</c> if it exists;
    /// null when there is none. A named file that is missing or malformed is a usage error.
    /// </summary>
    public static ConfigurationFile? Load(string? fromCommandLine, string? fromEnvironment, string variable)
    {
        string path;
        string source;
        if (!string.IsNullOrWhiteSpace(fromCommandLine))
        {
            (path, source) = (fromCommandLine, "--config");
        }
        else if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            (path, source) = (fromEnvironment, $"--config (from {variable})");
        }
        else
        {
            path = System.IO.Path.GetFullPath(DefaultName);
            if (!File.Exists(path))
            {
                return null;
            }

            source = $"--config (default ./{DefaultName})";
        }

        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new UsageException($"{source}: '{path}' is not a usable path.");
        }

        if (!File.Exists(full))
        {
            throw new UsageException($"{source}: the configuration file '{full}' does not exist.");
        }

        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or JsonException or IOException or UnauthorizedAccessException)
        {
            // The parser's message names line and position, never the file's contents (it may hold a password).
            var cause = e.InnerException is JsonException json ? json.Message : e.Message;
            throw new UsageException($"{source}: '{full}' is not a valid JSON configuration file: {cause}");
        }

        var file = new ConfigurationFile(full, root);
        file.CheckKeys();
        return file;
    }

    /// <summary>A scalar setting, or null when absent. An object or list where a value belongs is a usage error.</summary>
    public string? Value(string key)
    {
        var section = _root.GetSection(key);
        if (section.GetChildren().Any())
        {
            throw new UsageException($"{key} (in {Path}): expected a single value, found an object or a list.");
        }

        return section.Value;
    }

    /// <summary>A list setting (a JSON array, or a single string), or null when absent.</summary>
    public List<string>? List(string key)
    {
        var section = _root.GetSection(key);
        if (section.Value is { } single)
        {
            return [single];
        }

        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return null;
        }

        return [.. children.Select(c => c.Value ?? throw new UsageException($"{c.Path} (in {Path}): expected a string."))];
    }

    /// <summary>A misspelt key would be ignored silently; name it instead.</summary>
    private void CheckKeys()
    {
        string[] known =
        [
            "Clustering", "Postgres", "Address", "Interface", "SiloPort", "GatewayPort", "PrimaryPort", "ClusterId", "ServiceId",
            "Slots", "Objectives", "DataDir", "LogLevel", "Plugins", "CommandObjectives", "TlsCertificate", "TlsCertificatePassword",
            "IdleTimeout", "JoinTimeout", "WorkerMode", "OtlpEndpoint", "Dashboard", "DashboardAddress",
        ];
        foreach (var child in _root.GetSection("HpBandSter").GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new UsageException($"HpBandSter:{child.Key} (in {Path}): unknown setting; known: {string.Join(", ", known)}.");
            }
        }
    }
}
