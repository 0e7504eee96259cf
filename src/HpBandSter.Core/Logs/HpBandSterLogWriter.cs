using System.Text;
using HpBandSter.Results;

namespace HpBandSter.Logs;

/// <summary>
/// Writes HpBandSter's live logs (<c>configs.json</c>, <c>results.json</c>, and optionally <c>configspace.json</c>)
/// the way <c>json_result_logger</c> does, byte for byte: one JSON array per line, appended and flushed per event.
/// </summary>
/// <remarks>
/// Lines are ASCII (Python's <c>ensure_ascii</c>) and end with <c>\n</c>. The files stay open (readable by others)
/// until the writer is disposed; each line is flushed to the operating system as it is written, not fsynced, as in
/// HpBandSter. Safe to call from several threads: each line is written whole.
/// </remarks>
public sealed class HpBandSterLogWriter : IDisposable
{
    private readonly object _lock = new();
    private readonly bool _overwrite;
    private readonly HashSet<ConfigId> _loggedConfigs = [];
    private readonly FileStream _configs;
    private readonly FileStream _results;
    private bool _disposed;

    /// <summary>
    /// Creates <paramref name="directory"/> if needed and creates empty <c>configs.json</c> and <c>results.json</c> in it.
    /// </summary>
    /// <param name="directory">Where the logs go.</param>
    /// <param name="overwrite">
    /// Whether existing log files may be emptied and rewritten. Without it, an existing <c>configs.json</c> or
    /// <c>results.json</c> is an error and nothing is changed (HpBandSter creates the first file before checking the second).
    /// </param>
    /// <exception cref="IOException">A log file exists and <paramref name="overwrite"/> is false.</exception>
    public HpBandSterLogWriter(string directory, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        System.IO.Directory.CreateDirectory(directory);
        Directory = directory;
        _overwrite = overwrite;
        var configsPath = Path.Combine(directory, HpBandSterLogFiles.Configs);
        var resultsPath = Path.Combine(directory, HpBandSterLogFiles.Results);
        if (!overwrite)
        {
            foreach (var path in new[] { configsPath, resultsPath })
            {
                if (File.Exists(path))
                {
                    throw new IOException($"The log file {path} already exists. Choose another directory, or pass overwrite: true to replace the existing logs.");
                }
            }
        }

        var mode = overwrite ? FileMode.Create : FileMode.CreateNew;
        _configs = new FileStream(configsPath, mode, FileAccess.Write, FileShare.Read | FileShare.Delete);
        try
        {
            _results = new FileStream(resultsPath, mode, FileAccess.Write, FileShare.Read | FileShare.Delete);
        }
        catch
        {
            _configs.Dispose();
            throw;
        }
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>
    /// Appends a <c>configs.json</c> line for a newly sampled configuration (HpBandSter's <c>new_config</c>). A
    /// configuration already logged by this writer is not logged again.
    /// </summary>
    /// <returns>Whether a line was written.</returns>
    public bool LogConfig(ConfigRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_loggedConfigs.Add(record.Id))
            {
                return false;
            }

            AppendLine(_configs, HpBandSterLogFormat.ConfigLine(record));
            return true;
        }
    }

    /// <summary>
    /// Appends a <c>results.json</c> line for a finished job (HpBandSter's <c>__call__(job)</c>). The run's timestamps
    /// are written as given: pass absolute epoch seconds, as HpBandSter does.
    /// </summary>
    /// <remarks>
    /// The result is written as <c>null</c> when the run has neither loss nor info, otherwise as
    /// <c>{"loss": loss, "info": info}</c>.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The run's configuration has not been logged with <see cref="LogConfig"/>.</exception>
    public void LogResult(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_loggedConfigs.Contains(run.ConfigId))
            {
                throw new InvalidOperationException($"The result of configuration {run.ConfigId} cannot be logged before the configuration itself; call LogConfig first.");
            }

            AppendLine(_results, HpBandSterLogFormat.ResultLine(run));
        }
    }

    /// <summary>
    /// Writes <c>configspace.json</c> (the search space in ConfigSpace's JSON format, serialized elsewhere) next to
    /// the logs, as CAVE and DeepCAVE expect. The text is written as given, in UTF-8.
    /// </summary>
    /// <exception cref="IOException">The file exists and the writer was not created with overwrite.</exception>
    public void WriteConfigSpace(string configSpaceJson)
    {
        ArgumentNullException.ThrowIfNull(configSpaceJson);
        var path = Path.Combine(Directory, HpBandSterLogFiles.ConfigSpace);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var stream = new FileStream(path, _overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(configSpaceJson);
            stream.Write(bytes);
        }
    }

    /// <summary>
    /// Writes a whole result as HpBandSter logs: every configuration in data order, then every run ordered by finish
    /// time (as a live log would have them), with timestamps made absolute again by adding
    /// <see cref="ResultSettings.TimeRef"/>.
    /// </summary>
    /// <param name="result">The result to export.</param>
    /// <param name="directory">Where the logs go.</param>
    /// <param name="overwrite">Whether existing log files may be replaced.</param>
    /// <param name="configSpaceJson">The search space's JSON text, written to <c>configspace.json</c> when given.</param>
    public static void Export(OptimizationResult result, string directory, bool overwrite = false, string? configSpaceJson = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new HpBandSterLogWriter(directory, overwrite);
        foreach (var config in result.Configs)
        {
            writer.LogConfig(config);
        }

        var timeRef = result.Settings.TimeRef;
        foreach (var run in result.GetAllRuns().OrderBy(r => r.TimeStamps.Finished))
        {
            writer.LogResult(timeRef == 0 ? run : run with { TimeStamps = run.TimeStamps.Shift(timeRef) });
        }

        if (configSpaceJson is not null)
        {
            writer.WriteConfigSpace(configSpaceJson);
        }
    }

    /// <summary>Closes the log files.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _configs.Dispose();
            _results.Dispose();
        }
    }

    private static void AppendLine(FileStream stream, string line)
    {
        // The line is pure ASCII (ensure_ascii), so one byte per character.
        var bytes = new byte[line.Length + 1];
        for (var i = 0; i < line.Length; i++)
        {
            bytes[i] = (byte)line[i];
        }

        bytes[^1] = (byte)'\n';
        stream.Write(bytes);
        stream.Flush();
    }
}
