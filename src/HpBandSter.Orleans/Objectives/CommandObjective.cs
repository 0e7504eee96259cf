using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpBandSter.Optimizers;
using HpBandSter.Spaces;
using Microsoft.Extensions.Logging;

namespace HpBandSter.Orleans.Objectives;

/// <summary>
/// An external program as an objective (see <see cref="CommandObjectiveOptions"/>): one process per job, started
/// directly (no shell) with the operator's fixed executable, arguments and environment; the job travels as JSON
/// data only. Failures become <see cref="CommandObjectiveException"/>s whose text ends with the stderr tail.
/// </summary>
internal sealed class CommandObjective : IObjective, IRunEndObserver
{
    /// <summary>The job file the program may read (the same JSON as on stdin).</summary>
    public const string JobFileName = "job.json";

    /// <summary>The result file the program may write instead of printing the result.</summary>
    public const string ResultFileName = "result.json";

    /// <summary>
    /// Written by the silo when a job has ended: <c>{"status": "ok", "loss": …}</c> or
    /// <c>{"status": "crashed", "error": …}</c>. A directory without it belongs to an attempt that never ended here
    /// (cancelled, or its silo stopped).
    /// </summary>
    public const string OutcomeFileName = "outcome.json";

    private const int StderrCapacity = 64 * 1024;
    private const int StderrTailChars = 4096;

    // After the process exits, a grandchild that inherited its stdout may keep the pipe open: wait this long at most.
    private static readonly TimeSpan PipeGrace = TimeSpan.FromSeconds(2);

    private readonly string _name;
    private readonly string _executable;
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly string _workingDirectory;
    private readonly TimeSpan? _timeout;
    private readonly CommandJobRetention _retention;
    private readonly bool _keepCrashed;
    private readonly int _maxOutputBytes;
    private readonly int _stderrTailLines;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (double Budget, double Loss, string Directory)> _best = new(StringComparer.Ordinal);

    private CommandObjective(string name, CommandObjectiveOptions options, string baseDirectory, string executable, ConfigurationSpace? space)
    {
        _name = name;
        _executable = executable;
        _arguments = [.. options.Arguments.Select(a => ExpandBase(a, baseDirectory))];
        _environment = options.Environment.ToDictionary(kv => kv.Key, kv => ExpandBase(kv.Value, baseDirectory), StringComparer.Ordinal);
        _workingDirectory = ExpandBase(options.WorkingDirectory, baseDirectory);
        _timeout = options.Timeout;
        _retention = options.Retention;
        _keepCrashed = options.KeepCrashed;
        _maxOutputBytes = options.MaxOutputBytes;
        _stderrTailLines = options.StderrTailLines;
        SearchSpace = space;
    }

    /// <inheritdoc />
    public ConfigurationSpace? SearchSpace { get; }

    /// <summary>The resolved program path (for messages and tests).</summary>
    public string Executable => _executable;

    /// <summary>
    /// Checks <paramref name="options"/> and creates the objective: the executable must exist (a bare name is looked
    /// up on PATH now), the search space file must parse. Throws <see cref="ArgumentException"/> naming the setting.
    /// </summary>
    public static CommandObjective Create(string name, CommandObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(options.BaseDirectory) ? "." : options.BaseDirectory);
        if (string.IsNullOrWhiteSpace(options.Executable))
        {
            throw Invalid(name, "Executable", "is empty; give the program to run (a path, or a name on PATH such as python3)");
        }

        var executable = ResolveExecutable(name, ExpandBase(options.Executable.Trim(), baseDirectory), baseDirectory);
        if (options.Arguments is null || options.Arguments.Any(a => a is null || a.Contains('\0', StringComparison.Ordinal)))
        {
            throw Invalid(name, "Arguments", "holds a null or a NUL character");
        }

        if (options.Environment is null || options.Environment.Any(kv => string.IsNullOrEmpty(kv.Key) || kv.Key.Contains('=', StringComparison.Ordinal) || kv.Key.Contains('\0', StringComparison.Ordinal) || kv.Value is null))
        {
            throw Invalid(name, "Environment", "needs variable names without '=' and non-null values");
        }

        if (string.IsNullOrWhiteSpace(options.WorkingDirectory))
        {
            throw Invalid(name, "WorkingDirectory", "is empty; leave it out for the job's own directory ({job})");
        }

        if (options.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(30)))
        {
            throw Invalid(name, "Timeout", $"'{timeout}' is not a usable timeout; give a positive duration such as 00:10:00 (at most 30 days), or leave it out");
        }

        if (!Enum.IsDefined(options.Retention))
        {
            throw Invalid(name, "Retention", $"'{options.Retention}' is unknown; valid: All, Incumbent, None");
        }

        if (options.MaxOutputBytes is < 1024 or > 256 << 20)
        {
            throw Invalid(name, "MaxOutputBytes", $"'{options.MaxOutputBytes}' is out of range; give 1024 to 268435456 bytes");
        }

        if (options.StderrTailLines is < 1 or > 1000)
        {
            throw Invalid(name, "StderrTailLines", $"'{options.StderrTailLines}' is out of range; give 1 to 1000");
        }

        ConfigurationSpace? space = null;
        if (!string.IsNullOrWhiteSpace(options.SearchSpace))
        {
            var path = Path.GetFullPath(ExpandBase(options.SearchSpace, baseDirectory), baseDirectory);
            try
            {
                space = ConfigurationSpace.FromJson(File.ReadAllText(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Invalid(name, "SearchSpace", $"cannot read '{path}': {e.Message}");
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                throw Invalid(name, "SearchSpace", $"'{path}' is not a ConfigSpace JSON search space: {e.Message}");
            }
        }

        return new CommandObjective(name, options, baseDirectory, executable, space);
    }

    /// <inheritdoc />
    public async ValueTask<ObjectiveResult> EvaluateAsync(Configuration configuration, double budget, ObjectiveContext context)
    {
        var jobDirectory = context.WorkingDirectory;
        var resultFile = Path.Combine(jobDirectory, ResultFileName);
        var jobFile = Path.Combine(jobDirectory, JobFileName);
        var job = JobJson(configuration, budget, context, jobDirectory);
        File.Delete(resultFile);
        File.Delete(Path.Combine(jobDirectory, OutcomeFileName));
        await File.WriteAllBytesAsync(jobFile, job, context.CancellationToken);

        ObjectiveResult? result = null;
        try
        {
            result = await RunAsync(job, jobDirectory, jobFile, resultFile, context);
            WriteOutcome(jobDirectory, new JsonObject { ["status"] = "ok", ["loss"] = result.Loss }, context.Logger);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            WriteOutcome(jobDirectory, new JsonObject { ["status"] = "crashed", ["error"] = e.Message }, context.Logger);
            throw;
        }
        finally
        {
            Retain(context, jobDirectory, result);
        }
    }

    /// <summary>The job as UTF-8 JSON: the configuration and budget are data, never part of a command line.</summary>
    internal static byte[] JobJson(Configuration configuration, double budget, ObjectiveContext context, string jobDirectory)
    {
        var config = new JsonObject();
        foreach (var (key, value) in configuration)
        {
            config[key] = value switch
            {
                double d when double.IsFinite(d) => JsonValue.Create(d),
                double d => JsonValue.Create(d.ToString("R", CultureInfo.InvariantCulture)),
                long l => JsonValue.Create(l),
                bool b => JsonValue.Create(b),
                string s => JsonValue.Create(s),
                _ => JsonValue.Create(Configuration.FormatValue(value)),
            };
        }

        var id = context.Job.Id;
        var job = new JsonObject
        {
            ["config"] = config,
            ["budget"] = budget,
            ["config_id"] = new JsonArray(id.Iteration, id.Stage, id.Index),
            ["working_directory"] = jobDirectory,
            ["run_id"] = context.RunId,
            ["seed"] = context.Seed,
            ["attempt"] = context.Attempt,
        };
        return Encoding.UTF8.GetBytes(job.ToJsonString());
    }

    private async Task<ObjectiveResult> RunAsync(byte[] job, string jobDirectory, string jobFile, string resultFile, ObjectiveContext context)
    {
        var workingDirectory = Path.GetFullPath(_workingDirectory
            .Replace("{job}", jobDirectory, StringComparison.Ordinal)
            .Replace("{data}", context.DataDirectory, StringComparison.Ordinal)
            .Replace("{run}", context.RunDirectoryName, StringComparison.Ordinal));
        Directory.CreateDirectory(workingDirectory);

        var start = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            CreateNoWindow = true,
        };
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The silo's own settings (HPBANDSTER_*, such as a PostgreSQL connection string with its password) are not
        // the program's business.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("HPBANDSTER_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(variable);
        }

        foreach (var (variable, value) in _environment)
        {
            start.Environment[variable] = value;
        }

        start.Environment["HPBANDSTER_JOB_FILE"] = jobFile;
        start.Environment["HPBANDSTER_RESULT_FILE"] = resultFile;
        start.Environment["HPBANDSTER_JOB_DIR"] = jobDirectory;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            throw new CommandObjectiveException($"Command objective '{_name}': could not start '{_executable}': {e.Message}", e);
        }

        var stdout = new OutputTail(_maxOutputBytes);
        var stderr = new OutputTail(StderrCapacity);
        var reading = Task.WhenAll(
            stdout.ReadToEndAsync(process.StandardOutput.BaseStream),
            stderr.ReadToEndAsync(process.StandardError.BaseStream));
        var writing = WriteStdinAsync(process, job);

        using var timeout = _timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.CancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process, context.Logger);
            await Drain(reading, writing);
            context.CancellationToken.ThrowIfCancellationRequested();
            throw Failure($"timed out after {_timeout!.Value.TotalSeconds:0.###} s (its Timeout); the process tree was killed", stderr);
        }

        await Drain(reading, writing);
        if (process.ExitCode != 0)
        {
            throw Failure($"exited with code {process.ExitCode}", stderr);
        }

        string text;
        string from;
        if (File.Exists(resultFile))
        {
            from = ResultFileName;
            var length = new FileInfo(resultFile).Length;
            if (length > _maxOutputBytes)
            {
                throw Failure($"wrote a {length}-byte {ResultFileName}, more than its MaxOutputBytes ({_maxOutputBytes})", stderr);
            }

            text = (await File.ReadAllTextAsync(resultFile, context.CancellationToken)).Trim();
        }
        else
        {
            from = "the last line of stdout";
            text = LastNonEmptyLine(stdout.Text());
            if (text.Length == 0)
            {
                throw Failure($"printed no result: expected {{\"loss\": number, \"info\": ...}} on the last line of stdout or in {ResultFileName}", stderr);
            }
        }

        return Parse(text, from, stderr);
    }

    private ObjectiveResult Parse(string text, string from, OutputTail stderr)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw Failure($"wrote a malformed result in {from} (not JSON): {Excerpt(text)}", stderr);
        }

        if (node is not JsonObject result)
        {
            throw Failure($"wrote a result in {from} that is not a JSON object {{\"loss\": ...}}: {Excerpt(text)}", stderr);
        }

        if (!result.TryGetPropertyValue("loss", out var lossNode) || lossNode is null)
        {
            throw Failure($"wrote a result in {from} without a \"loss\": {Excerpt(text)}", stderr);
        }

        if (lossNode is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var loss))
        {
            throw Failure($"wrote a result in {from} whose \"loss\" is not a number: {Excerpt(text)}", stderr);
        }

        if (!double.IsFinite(loss))
        {
            throw Failure($"wrote a non-finite loss ({loss.ToString(CultureInfo.InvariantCulture)}) in {from}", stderr);
        }

        var info = result.TryGetPropertyValue("info", out var infoNode) ? infoNode?.DeepClone() : null;
        return new ObjectiveResult(loss, info);
    }

    private static string LastNonEmptyLine(string text)
    {
        var lines = text.Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.Length > 0)
            {
                return line;
            }
        }

        return string.Empty;
    }

    private static async Task WriteStdinAsync(Process process, byte[] job)
    {
        try
        {
            var stdin = process.StandardInput.BaseStream;
            await stdin.WriteAsync(job);
            await stdin.WriteAsync("\n"u8.ToArray());
            await stdin.FlushAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The program does not read its stdin (it may read job.json) and has exited or closed it.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }

    private static async Task Drain(Task reading, Task writing)
    {
        try
        {
            await Task.WhenAll(reading, writing).WaitAsync(PipeGrace);
        }
        catch (TimeoutException)
        {
            // A grandchild keeps the pipes open; what was read so far is the output.
        }
    }

    private void Kill(Process process, ILogger logger)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            logger.LogDebug(e, "Command objective {Objective}: the process had exited before it could be killed.", _name);
        }
    }

    private CommandObjectiveException Failure(string what, OutputTail stderr)
    {
        var tail = stderr.LastLines(_stderrTailLines, StderrTailChars);
        var message = new StringBuilder($"Command objective '{_name}' ({Path.GetFileName(_executable)}) {what}.");
        message.Append(tail.Length == 0 ? " Its stderr was empty." : $"\nstderr (last lines):\n{tail}");
        return new CommandObjectiveException(message.ToString());
    }

    private static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <summary>Applies the retention setting once a job has ended (<paramref name="result"/> null: it crashed).</summary>
    private void Retain(ObjectiveContext context, string jobDirectory, ObjectiveResult? result)
    {
        if (_retention == CommandJobRetention.All || (result is null && _keepCrashed))
        {
            return;
        }

        string? delete = jobDirectory;
        if (_retention == CommandJobRetention.Incumbent && result is not null)
        {
            var budget = context.Job.Budget;
            lock (_lock)
            {
                if (!_best.TryGetValue(context.RunId, out var best) || budget > best.Budget || (budget == best.Budget && result.Loss < best.Loss))
                {
                    _best[context.RunId] = (budget, result.Loss, jobDirectory);
                    delete = best.Directory;
                }
            }
        }

        if (delete is null)
        {
            return;
        }

        TryDelete(delete, context.Logger);
    }

    /// <summary>
    /// At the end of a completed run, applies the retention setting to every directory of the run on this silo, also
    /// those of jobs finished before a silo restart and of attempts that never ended: with
    /// <see cref="CommandJobRetention.Incumbent"/> only the run's incumbent's directory stays (and crashed jobs' ones
    /// with <see cref="CommandObjectiveOptions.KeepCrashed"/>); with <see cref="CommandJobRetention.None"/> only
    /// crashed ones (with KeepCrashed).
    /// </summary>
    public bool TidiesRunDirectories => _retention != CommandJobRetention.All;

    public void OnRunCompleted(string runId, string runDirectory, JobKey? incumbent, ILogger logger)
    {
        lock (_lock)
        {
            _best.Remove(runId);
        }

        if (_retention == CommandJobRetention.All || !Directory.Exists(runDirectory))
        {
            return;
        }

        string? keep = null;
        if (_retention == CommandJobRetention.Incumbent && incumbent is { } key)
        {
            var budget = key.Budget.ToString("R", CultureInfo.InvariantCulture);
            keep = $"{key.Id.Iteration}_{key.Id.Stage}_{key.Id.Index}_b{budget}_a";
        }

        var deleted = 0;
        foreach (var directory in Directory.EnumerateDirectories(runDirectory))
        {
            var status = OutcomeStatus(directory);
            var isIncumbent = keep is not null && status == "ok" && Path.GetFileName(directory).StartsWith(keep, StringComparison.Ordinal)
                && int.TryParse(Path.GetFileName(directory).AsSpan(keep.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _);
            if (isIncumbent || (status == "crashed" && _keepCrashed))
            {
                continue;
            }

            if (TryDelete(directory, logger))
            {
                deleted++;
            }
        }

        if (!Directory.EnumerateFileSystemEntries(runDirectory).Any())
        {
            TryDelete(runDirectory, logger);
        }

        logger.LogInformation("Command objective {Objective}: run {RunId} completed; deleted {Count} job directories ({Retention} retention)", _name, runId, deleted, _retention);
    }

    private static string? OutcomeStatus(string directory)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(Path.Combine(directory, OutcomeFileName)))?["status"]?.GetValue<string>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private void WriteOutcome(string jobDirectory, JsonObject outcome, ILogger logger)
    {
        try
        {
            File.WriteAllText(Path.Combine(jobDirectory, OutcomeFileName), outcome.ToJsonString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Command objective {Objective}: could not write {File} in {Directory}: {Error}", _name, OutcomeFileName, jobDirectory, e.Message);
        }
    }

    private bool TryDelete(string directory, ILogger logger)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Command objective {Objective}: could not delete the job directory {Directory}: {Error}", _name, directory, e.Message);
            return false;
        }
    }

    private static string ExpandBase(string text, string baseDirectory) =>
        text.Replace("{base}", baseDirectory, StringComparison.Ordinal);

    private static string ResolveExecutable(string name, string executable, string baseDirectory)
    {
        if (executable.Contains('/', StringComparison.Ordinal) || executable.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(executable))
        {
            var path = Path.GetFullPath(executable, baseDirectory);
            return File.Exists(path) ? path : throw Invalid(name, "Executable", $"'{path}' does not exist");
        }

        foreach (var directory in (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in OperatingSystem.IsWindows() ? [executable, executable + ".exe"] : new[] { executable })
            {
                var path = Path.Combine(directory, candidate);
                if (File.Exists(path))
                {
                    return Path.GetFullPath(path);
                }
            }
        }

        throw Invalid(name, "Executable", $"'{executable}' is not on PATH; give its full path");
    }

    private static ArgumentException Invalid(string name, string setting, string problem) =>
        new($"Command objective '{name}': {setting} {problem}.");
}
