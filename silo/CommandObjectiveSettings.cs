using System.Text.RegularExpressions;
using HpBandSter.Orleans.Objectives;
using Microsoft.Extensions.Configuration;

namespace HpBandSter.Silo;

/// <summary>
/// Command objectives from the configuration file (<c>HpBandSter:CommandObjectives:NAME:...</c>) and from environment
/// variables in the standard .NET form, <c>HPBANDSTER_CommandObjectives__NAME__Executable</c>,
/// <c>HPBANDSTER_CommandObjectives__NAME__Arguments__0</c>, <c>..._Environment__VAR</c> (<c>__</c> stands for the
/// file's nesting; names are case-insensitive). A variable overrides the file's value of the same key (per key: a
/// list element or an environment entry replaces that element or entry only), as for every other setting. Errors
/// name the key and where it came from: the variable, or the file.
/// </summary>
internal static partial class CommandObjectiveSettings
{
    /// <summary>The section of command objectives, one child per objective name.</summary>
    public const string SectionKey = "HpBandSter:CommandObjectives";

    private const string VariablePrefix = "HPBANDSTER_";

    private static readonly string[] Known =
    [
        "Executable", "Arguments", "WorkingDirectory", "Environment", "Timeout", "SearchSpace", "Retention", "KeepCrashed",
        "MaxOutputBytes", "StderrTailLines", "BaseDirectory",
    ];

    private const string KnownText = "Known settings: Executable, Arguments, WorkingDirectory, Environment, Timeout, SearchSpace, Retention (All, Incumbent, None), KeepCrashed, MaxOutputBytes, StderrTailLines.";

    /// <summary>
    /// The command objectives of <paramref name="file"/> (may be null) and <paramref name="variables"/> (the process
    /// environment), bound and checked. Relative paths are relative to the file's directory for an objective the file
    /// names, else to the current directory.
    /// </summary>
    public static List<(string Name, CommandObjectiveOptions Options, string Source)> Read(ConfigurationFile? file, IEnumerable<KeyValuePair<string, string>> variables)
    {
        // Configuration key → the variable that set it (for messages).
        var fromEnvironment = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var fileNames = file?.Root.GetSection(SectionKey).GetChildren().Select(c => c.Key).ToList() ?? [];
        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(VariablePrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = "HpBandSter:" + name[VariablePrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            if (key.StartsWith(SectionKey + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase))
            {
                // Keys are case-insensitive but objective names are not: a variable that overrides a setting of the
                // file's objective keeps that objective's name as the file spells it.
                var segments = key.Split(ConfigurationPath.KeyDelimiter);
                if (fileNames.FirstOrDefault(n => string.Equals(n, segments[2], StringComparison.OrdinalIgnoreCase)) is { } spelled)
                {
                    segments[2] = spelled;
                    key = string.Join(ConfigurationPath.KeyDelimiter, segments);
                }

                values[key] = value;
                fromEnvironment[key] = name;
            }
        }

        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddConfiguration(file.Root);
        }

        var root = builder.AddInMemoryCollection(values).Build();

        // Where a key (or anything under it) came from: the variable that set it, else the file.
        string Source(string path)
        {
            var variable = fromEnvironment.GetValueOrDefault(path)
                ?? fromEnvironment.FirstOrDefault(e => e.Key.StartsWith(path + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase)).Value;
            return variable is not null ? $"from {variable}" : $"in {file?.Path}";
        }

        List<(string, CommandObjectiveOptions, string)> objectives = [];
        foreach (var section in root.GetSection(SectionKey).GetChildren())
        {
            if (section.Value is not null)
            {
                throw new UsageException($"{section.Path} ({Source(section.Path)}): expected the objective's settings (Executable, Arguments, ...), found a single value.");
            }

            foreach (var child in section.GetChildren())
            {
                if (!Known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new UsageException($"{child.Path} ({Source(child.Path)}): unknown setting '{child.Key}'. {KnownText}");
                }
            }

            var timeout = section.GetSection("Timeout");
            if (timeout.Value is { } timeoutText && !timeoutText.Contains(':', StringComparison.Ordinal))
            {
                throw new UsageException($"{timeout.Path} ({Source(timeout.Path)}): '{timeoutText}' is not a duration; write hh:mm:ss, such as \"00:10:00\" for ten minutes.");
            }

            CommandObjectiveOptions options;
            try
            {
                options = section.Get<CommandObjectiveOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new CommandObjectiveOptions();
            }
            catch (InvalidOperationException e)
            {
                // Conversion errors name the key ("... at 'HpBandSter:CommandObjectives:x:MaxOutputBytes' to type ...").
                var at = KeyInMessage().Match(e.Message);
                var path = at.Success ? at.Groups[1].Value : section.Path;
                throw new UsageException($"{path} ({Source(path)}): {e.Message} {KnownText}");
            }

            var inFile = file is not null && file.Root.GetSection(section.Path).Exists();
            options.BaseDirectory ??= inFile ? Path.GetDirectoryName(file!.Path) : Directory.GetCurrentDirectory();
            objectives.Add((section.Key, options, $"{section.Path} ({Source(section.Path)})"));
        }

        return objectives;
    }

    [GeneratedRegex("at '([^']+)'")]
    private static partial Regex KeyInMessage();
}
