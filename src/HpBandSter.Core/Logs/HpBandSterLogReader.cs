using System.Text.Json.Nodes;
using HpBandSter.Results;
using HpBandSter.Spaces;

namespace HpBandSter.Logs;

/// <summary>
/// Reads HpBandSter's live logs back into an <see cref="OptimizationResult"/> (HpBandSter's
/// <c>logged_results_to_HBS_result</c>), giving the same incumbent, trajectory and counts.
/// </summary>
/// <remarks>
/// <para>What HpBandSter does, and this reader too:</para>
/// <list type="bullet">
/// <item><c>configs.json</c>: one <c>[config_id, config, config_info]</c> per line, or the legacy
/// <c>[config_id, config]</c> (no info; HpBandSter stores the string <c>'N/A'</c>, this reader an empty object).
/// A repeated id takes the later line's config but keeps the first line's position (Python dict semantics).</item>
/// <item><c>results.json</c>: one <c>[config_id, budget, time_stamps, result, exception]</c> per line, the timestamps
/// keys in any order, <c>result</c> null for a crashed job. A repeated (id, budget) keeps the later line.</item>
/// <item>Settings come from the data: budgets = the distinct budgets, ascending; min/max budget = the first/last;
/// <c>eta = budgets[1] / budgets[0]</c> with at least two budgets (null otherwise); <c>TimeRef</c> = the smallest
/// <c>submitted</c> of all lines, which the result subtracts from every timestamp.</item>
/// </list>
/// <para>Where this reader differs, deliberately:</para>
/// <list type="bullet">
/// <item>A result line naming a configuration missing from <c>configs.json</c> raises a
/// <see cref="LogFormatException"/> naming the id and the line (HpBandSter raises a bare KeyError, issue #68).
/// So does every malformed line, with the file and line number.</item>
/// <item>A last line that has no terminating newline and does not parse is taken for a write cut short by a crash:
/// it is skipped and reported in <see cref="HpBandSterLog.Warnings"/>. Blank lines are skipped silently.
/// Repeated configuration ids and repeated (id, budget) results are also reported as warnings.</item>
/// <item>A result without <c>"info"</c> gets null info (HpBandSter fails later with KeyError); a result without
/// <c>"loss"</c> is an error.</item>
/// <item>Logs without any result line raise <see cref="InvalidDataException"/> (HpBandSter fails on <c>min()</c> of nothing).</item>
/// </list>
/// <para>Files are read as UTF-8; lines may end in <c>\n</c> or <c>\r\n</c>.</para>
/// </remarks>
public static class HpBandSterLogReader
{
    /// <summary>Rebuilds the result of a log directory (HpBandSter's <c>logged_results_to_HBS_result</c>).</summary>
    /// <exception cref="FileNotFoundException"><c>configs.json</c> or <c>results.json</c> is missing.</exception>
    /// <exception cref="LogFormatException">A line cannot be read, or refers to an unknown configuration.</exception>
    /// <exception cref="InvalidDataException">The logs hold no finished run.</exception>
    public static OptimizationResult LoggedResultsToResult(string directory) => Read(directory).Result;

    /// <summary>Reads a log directory: the result, <c>configspace.json</c> if present, and the warnings.</summary>
    /// <exception cref="FileNotFoundException"><c>configs.json</c> or <c>results.json</c> is missing.</exception>
    /// <exception cref="LogFormatException">A line cannot be read, or refers to an unknown configuration.</exception>
    /// <exception cref="InvalidDataException">The logs hold no finished run.</exception>
    public static HpBandSterLog Read(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var configsPath = Path.Combine(directory, HpBandSterLogFiles.Configs);
        var resultsPath = Path.Combine(directory, HpBandSterLogFiles.Results);
        var configSpacePath = Path.Combine(directory, HpBandSterLogFiles.ConfigSpace);
        var configsText = ReadFile(configsPath);
        var resultsText = ReadFile(resultsPath);
        var configSpace = File.Exists(configSpacePath) ? File.ReadAllText(configSpacePath) : null;
        return Parse(configsText, resultsText, configSpace, configsPath, resultsPath);
    }

    /// <summary>
    /// Reads logs held in memory: the text of <c>configs.json</c> and <c>results.json</c> (for example a warm start
    /// sent with a run). <paramref name="configsName"/> and <paramref name="resultsName"/> name them in messages.
    /// </summary>
    /// <exception cref="LogFormatException">A line cannot be read, or refers to an unknown configuration.</exception>
    /// <exception cref="InvalidDataException">The logs hold no finished run.</exception>
    public static HpBandSterLog Parse(
        string configsText,
        string resultsText,
        string? configSpaceJson = null,
        string configsName = HpBandSterLogFiles.Configs,
        string resultsName = HpBandSterLogFiles.Results)
    {
        ArgumentNullException.ThrowIfNull(configsText);
        ArgumentNullException.ThrowIfNull(resultsText);
        var (configsPath, resultsPath) = (configsName, resultsName);
        var warnings = new List<LogWarning>();

        var configs = new List<ConfigRecord>();
        var configIndex = new Dictionary<ConfigId, int>();
        foreach (var (line, number) in ReadJsonLines(configsText, configsPath, warnings))
        {
            var record = ParseConfigLine(line, configsPath, number);
            if (configIndex.TryGetValue(record.Id, out var existing))
            {
                configs[existing] = record;
                warnings.Add(new LogWarning(configsPath, number, $"Configuration {record.Id} appears again; the later line is used."));
            }
            else
            {
                configIndex[record.Id] = configs.Count;
                configs.Add(record);
            }
        }

        var runs = new List<Run>();
        var runIndex = new Dictionary<(ConfigId, double), int>();
        var timeRef = double.PositiveInfinity;
        foreach (var (line, number) in ReadJsonLines(resultsText, resultsPath, warnings))
        {
            var run = ParseResultLine(line, resultsPath, number);
            if (!configIndex.ContainsKey(run.ConfigId))
            {
                throw new LogFormatException(resultsPath, number, $"the result refers to configuration {run.ConfigId}, which {HpBandSterLogFiles.Configs} does not contain. The logs are incomplete or from different runs; add the configuration's line to {HpBandSterLogFiles.Configs} or remove this result.");
            }

            timeRef = Math.Min(timeRef, run.TimeStamps.Submitted);
            if (runIndex.TryGetValue((run.ConfigId, run.Budget), out var existing))
            {
                runs[existing] = run;
                warnings.Add(new LogWarning(resultsPath, number, $"Configuration {run.ConfigId} has a second result on budget {PythonJson.FormatFloat(run.Budget)}; the later line is used."));
            }
            else
            {
                runIndex[(run.ConfigId, run.Budget)] = runs.Count;
                runs.Add(run);
            }
        }

        if (runs.Count == 0)
        {
            throw new InvalidDataException($"{resultsPath} holds no finished run yet; a result needs at least one to infer the budgets. Read the logs again once a job has finished.");
        }

        var budgets = runs.Select(r => r.Budget).Distinct().Order().ToArray();
        var settings = new ResultSettings(
            MinBudget: budgets[0],
            MaxBudget: budgets[^1],
            Budgets: budgets,
            Eta: budgets.Length < 2 ? null : budgets[1] / budgets[0],
            TimeRef: timeRef);
        return new HpBandSterLog(new OptimizationResult(configs, runs, settings), configSpaceJson, warnings);
    }

    private static string ReadFile(string path) =>
        File.Exists(path)
            ? File.ReadAllText(path)
            : throw new FileNotFoundException($"The HpBandSter log file {path} does not exist; a log directory needs both {HpBandSterLogFiles.Configs} and {HpBandSterLogFiles.Results}.", path);

    private static IEnumerable<(JsonNode? Line, int Number)> ReadJsonLines(string text, string path, List<LogWarning> warnings)
    {
        var start = 0;
        var number = 0;
        while (start < text.Length)
        {
            number++;
            var newline = text.IndexOf('\n', start);
            var terminated = newline >= 0;
            var end = terminated ? newline : text.Length;
            var line = text.AsSpan(start, end - start).TrimEnd('\r').ToString();
            start = end + 1;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonNode? node;
            try
            {
                node = PythonJsonParser.Parse(line);
            }
            catch (FormatException e)
            {
                if (!terminated)
                {
                    warnings.Add(new LogWarning(path, number, $"The last line is incomplete (no newline, not valid JSON: {e.Message}), probably cut short by a crash while writing; it was ignored."));
                    yield break;
                }

                throw new LogFormatException(path, number, $"not a JSON line: {e.Message}", e);
            }

            yield return (node, number);
        }
    }

    private static ConfigRecord ParseConfigLine(JsonNode? line, string path, int number)
    {
        if (line is not JsonArray array || array.Count is not (2 or 3))
        {
            throw new LogFormatException(path, number, "expected [config_id, config, config_info] (or the legacy [config_id, config]).");
        }

        var id = ParseId(array[0], path, number);
        if (array[1] is not JsonObject configObject)
        {
            throw new LogFormatException(path, number, $"the config of {id} is not a JSON object of hyperparameter values.");
        }

        var values = new List<KeyValuePair<string, object>>(configObject.Count);
        foreach (var (name, node) in configObject)
        {
            values.Add(new(name, ParseHyperparameterValue(node, name, id, path, number)));
        }

        JsonObject info;
        if (array.Count == 2 || array[2] is null)
        {
            info = [];
        }
        else if (array[2] is JsonObject infoObject)
        {
            info = infoObject;
        }
        else
        {
            throw new LogFormatException(path, number, $"the config_info of {id} is not a JSON object.");
        }

        array.Clear(); // detach the info node so the record owns it
        return new ConfigRecord(id, new Configuration(values), info);
    }

    private static object ParseHyperparameterValue(JsonNode? node, string name, ConfigId id, string path, int number)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<long>(out var l))
            {
                return l;
            }

            if (value.TryGetValue<double>(out var d))
            {
                return d;
            }

            if (value.TryGetValue<string>(out var s))
            {
                return s;
            }

            if (value.TryGetValue<bool>(out var b))
            {
                return b;
            }
        }

        var shown = node is null ? "null" : PythonJson.Serialize(node);
        throw new LogFormatException(path, number, $"hyperparameter '{name}' of {id} has the value {shown}; values must be numbers, strings or booleans (leave inactive hyperparameters out).");
    }

    private static Run ParseResultLine(JsonNode? line, string path, int number)
    {
        if (line is not JsonArray array || array.Count != 5)
        {
            throw new LogFormatException(path, number, "expected [config_id, budget, time_stamps, result, exception].");
        }

        var id = ParseId(array[0], path, number);
        if (!TryGetNumber(array[1], out var budget))
        {
            throw new LogFormatException(path, number, $"the budget of {id} is not a number.");
        }

        if (array[2] is not JsonObject stamps)
        {
            throw new LogFormatException(path, number, $"the time_stamps of {id} are not a JSON object.");
        }

        var timestamps = new RunTimestamps(
            GetStamp(stamps, "submitted", id, path, number),
            GetStamp(stamps, "started", id, path, number),
            GetStamp(stamps, "finished", id, path, number));

        double? loss = null;
        JsonNode? info = null;
        switch (array[3])
        {
            case null:
                break;
            case JsonObject result:
                if (!result.TryGetPropertyValue("loss", out var lossNode))
                {
                    throw new LogFormatException(path, number, $"the result of {id} has no \"loss\"; a result is {{\"loss\": number, \"info\": ...}} or null.");
                }

                if (lossNode is not null)
                {
                    loss = TryGetNumber(lossNode, out var value)
                        ? value
                        : throw new LogFormatException(path, number, $"the loss of {id} is not a number.");
                }

                if (result.TryGetPropertyValue("info", out info))
                {
                    result.Remove("info"); // detach so the run owns it
                }

                break;
            default:
                throw new LogFormatException(path, number, $"the result of {id} is neither null nor a JSON object.");
        }

        string? exception = array[4] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var text) => text,
            _ => throw new LogFormatException(path, number, $"the exception of {id} is neither null nor a string."),
        };

        return new Run(id, budget, loss, info, timestamps, exception);
    }

    private static double GetStamp(JsonObject stamps, string key, ConfigId id, string path, int number) =>
        stamps.TryGetPropertyValue(key, out var node) && TryGetNumber(node, out var value)
            ? value
            : throw new LogFormatException(path, number, $"the time_stamps of {id} lack a numeric \"{key}\".");

    private static ConfigId ParseId(JsonNode? node, string path, int number)
    {
        if (node is JsonArray { Count: 3 } parts)
        {
            var ints = new int[3];
            var ok = true;
            for (var i = 0; i < 3 && ok; i++)
            {
                ok = parts[i] is JsonValue v && v.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue;
                if (ok)
                {
                    ints[i] = (int)parts[i]!.GetValue<long>();
                }
            }

            if (ok)
            {
                return new ConfigId(ints[0], ints[1], ints[2]);
            }
        }

        var shown = node is null ? "null" : PythonJson.Serialize(node);
        throw new LogFormatException(path, number, $"the config id {shown} is not a list of three integers such as [0, 0, 1].");
    }

    private static bool TryGetNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        if (v.TryGetValue<double>(out value))
        {
            return true;
        }

        if (v.TryGetValue<long>(out var l))
        {
            value = l;
            return true;
        }

        return false;
    }
}
