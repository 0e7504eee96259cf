using System.Text.Json.Nodes;
using HpBandSter.Logs;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;

namespace HpBandSter.Client;

/// <summary>
/// HpBandSter's live logs of a run (<c>--out DIR</c>), written while the run goes on: <c>configspace.json</c> at the
/// start, a <c>configs.json</c> line when a configuration is first seen and a <c>results.json</c> line per recorded
/// result (HpBandSter's <c>json_result_logger</c>), read from the run grain's results cursor. Timestamps are made
/// absolute exactly as the end-of-run export makes them, so the files equal that export.
/// </summary>
/// <remarks>
/// <para>Continuing after a client restart (<c>watch</c>/<c>resume</c> on a directory that holds a partial log): the
/// log is first rebuilt in a scratch directory from the run's whole record so far, then checked against the files in
/// <c>DIR</c> (the existing <c>configs.json</c> must be a prefix of the rebuilt one and every line of the existing
/// <c>results.json</c> must be in the rebuilt one: logs of another run are refused, never overwritten), and moved over
/// them in one rename per file. Appending then goes on from the run's cursor, so no line is written twice.</para>
/// <para>At the end <see cref="Finish"/> compares the files with the export of the finished result and replaces them
/// (again by rename) when they differ: results recorded out of their finish-time order (several slots) are listed
/// by finish time in the export.</para>
/// </remarks>
internal sealed class LiveLog : IDisposable
{
    /// <summary>Results read per call to the run grain, by default.</summary>
    public const int DefaultPageSize = 1000;

    private static readonly string[] Files = [HpBandSterLogFiles.Configs, HpBandSterLogFiles.Results, HpBandSterLogFiles.ConfigSpace];

    private readonly string? _configSpaceJson;
    private readonly string _scratch;
    private HpBandSterLogWriter? _writer;
    private ResultsCursor _cursor;
    private bool _attached;

    private LiveLog(string directory, string? configSpaceJson, int pageSize)
    {
        PageSize = pageSize;
        Directory = directory;
        _configSpaceJson = configSpaceJson;
        System.IO.Directory.CreateDirectory(directory);
        _scratch = Path.Combine(directory, $".hpbandster-live-{Guid.NewGuid():N}");
        _writer = new HpBandSterLogWriter(_scratch);
        if (configSpaceJson is not null)
        {
            _writer.WriteConfigSpace(configSpaceJson);
        }
    }

    /// <summary>The log directory.</summary>
    public string Directory { get; }

    /// <summary>Results read per call to the run grain.</summary>
    public int PageSize { get; }

    /// <summary>How far the log has read the run's record.</summary>
    public ResultsCursor Cursor => _cursor;

    /// <summary>Whether <see cref="Finish"/> had to replace the live files by the export (they differed).</summary>
    public bool Rewritten { get; private set; }

    /// <summary>
    /// Starts a log for <paramref name="directory"/>: reads the run's whole record so far through
    /// <paramref name="read"/> and puts it in place of (or continues) the files there.
    /// </summary>
    /// <returns>The log and the last page read (its status is current).</returns>
    /// <exception cref="LiveLogMismatchException">The directory holds logs that are not this run's.</exception>
    public static async Task<(LiveLog Log, ResultsPage Last)> OpenAsync(
        string directory, string? configSpaceJson, Func<ResultsCursor, int, Task<ResultsPage>> read, CancellationToken cancellationToken, int pageSize = DefaultPageSize)
    {
        var log = new LiveLog(directory, configSpaceJson, pageSize);
        try
        {
            var last = await log.CatchUpAsync(read, cancellationToken);
            log.Attach(last.Status.RunId);
            return (log, last);
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    /// <summary>Reads and logs pages from the cursor on until the run's record is exhausted; returns the last page.</summary>
    public async Task<ResultsPage> CatchUpAsync(Func<ResultsCursor, int, Task<ResultsPage>> read, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await read(_cursor, PageSize);
            Append(page);
            if (page.Runs.Length < PageSize)
            {
                return page;
            }
        }
    }

    /// <summary>Logs a page read from <see cref="Cursor"/>: new configurations, then the results.</summary>
    public void Append(ResultsPage page)
    {
        var writer = _writer ?? throw new ObjectDisposedException(nameof(LiveLog));
        foreach (var config in page.Configs)
        {
            writer.LogConfig(new ConfigRecord(
                new ConfigId(config.Iteration, config.Stage, config.Index),
                ConfigEntry.ToConfiguration(config.Config),
                JsonNode.Parse(config.InfoJson)?.AsObject() ?? []));
        }

        var startedAt = page.Status.StartedAt;
        foreach (var run in page.Runs)
        {
            writer.LogResult(ToLogged(run, startedAt));
        }

        _cursor = page.Next;
    }

    /// <summary>
    /// At the end of the run: closes the files and makes them equal to the export of <paramref name="result"/>
    /// (replacing them only when they differ).
    /// </summary>
    public void Finish(OptimizationResult result)
    {
        CloseWriter();
        var export = Path.Combine(Directory, $".hpbandster-export-{Guid.NewGuid():N}");
        try
        {
            HpBandSterLogWriter.Export(result, export, overwrite: false, _configSpaceJson);
            foreach (var file in Files)
            {
                var exported = Path.Combine(export, file);
                var live = Path.Combine(Directory, file);
                if (File.Exists(exported) && (!File.Exists(live) || !File.ReadAllBytes(exported).AsSpan().SequenceEqual(File.ReadAllBytes(live))))
                {
                    File.Move(exported, live, overwrite: true);
                    Rewritten = true;
                }
            }
        }
        finally
        {
            DeleteQuietly(export);
        }
    }

    /// <summary>Closes the files (a log stopped before its run ended keeps what it has).</summary>
    public void Dispose()
    {
        CloseWriter();
        DeleteQuietly(_scratch);
    }

    /// <summary>A recorded result as the end-of-run export writes it: timestamps shifted exactly as there.</summary>
    private static Run ToLogged(RunData run, double startedAt)
    {
        // HpBandSterClient.ToResult shifts by StartedAt, OptimizationResult back by its TimeRef (the same value), and
        // HpBandSterLogWriter.Export forward again: the same three additions give the same bits.
        var stamps = new RunTimestamps(run.Submitted, run.Started, run.Finished).Shift(startedAt);
        if (startedAt != 0)
        {
            stamps = stamps.Shift(-startedAt).Shift(startedAt);
        }

        return new Run(
            run.Key.ToJobKey().Id,
            run.Key.Budget,
            run.Loss,
            run.InfoJson is { } info ? JsonNode.Parse(info) : null,
            stamps,
            run.Error);
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A scratch directory left behind holds nothing the logs need.
        }
    }

    /// <summary>Checks the directory's files against the rebuilt log and moves the rebuilt files over them.</summary>
    private void Attach(string runId)
    {
        var configs = Path.Combine(Directory, HpBandSterLogFiles.Configs);
        var results = Path.Combine(Directory, HpBandSterLogFiles.Results);
        if (File.Exists(configs) && !File.ReadAllBytes(Path.Combine(_scratch, HpBandSterLogFiles.Configs)).AsSpan().StartsWith(File.ReadAllBytes(configs)))
        {
            throw new LiveLogMismatchException(Directory, HpBandSterLogFiles.Configs, runId);
        }

        if (File.Exists(results))
        {
            var rebuilt = File.ReadAllLines(Path.Combine(_scratch, HpBandSterLogFiles.Results)).GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var text = File.ReadAllText(results);
            var complete = text.EndsWith('\n') ? text : text[..(text.LastIndexOf('\n') + 1)]; // a line cut by a crash is rewritten whole
            foreach (var line in complete.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!rebuilt.TryGetValue(line, out var count) || count == 0)
                {
                    throw new LiveLogMismatchException(Directory, HpBandSterLogFiles.Results, runId);
                }

                rebuilt[line] = count - 1;
            }
        }

        foreach (var file in Files)
        {
            var from = Path.Combine(_scratch, file);
            if (File.Exists(from))
            {
                // The writer keeps its files open: they move with their open handles, and appends go on in place.
                File.Move(from, Path.Combine(Directory, file), overwrite: true);
            }
        }

        _attached = true;
        DeleteQuietly(_scratch);
    }

    private void CloseWriter()
    {
        _writer?.Dispose();
        _writer = null;
        if (!_attached)
        {
            DeleteQuietly(_scratch);
        }
    }
}
