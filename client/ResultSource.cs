using System.CommandLine;
using HpBandSter.Logs;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using HpBandSter.Results;

namespace HpBandSter.Client;

/// <summary>
/// The <c>DIR|RUN</c> argument of <c>export</c>, <c>analyze</c>, <c>plot</c> and <c>run --warm-start</c>: a folder
/// of HpBandSter logs (ours or the real HpBandSter's), or the id of a run in a run store (read without a cluster).
/// </summary>
internal sealed class ResultSource
{
    public ResultSource(string verb)
    {
        Argument = new Argument<string>("source")
        {
            Description = $"A folder with HpBandSter logs (configs.json and results.json, from 'hpbandster run --out' or Python HpBandSter), or the id of a run in the run store to {verb}.",
        };
        Store.DataDir.Description = "With a run id: the data directory whose runs.db holds the run (the embedded default's store).";
    }

    public Argument<string> Argument { get; }

    public StoreLocation Store { get; } = new();

    /// <summary>Adds the argument and the store options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Argument);
        Store.AddTo(command);
    }

    /// <summary>
    /// Loads the source. Warnings of the log reader (a last line cut short by a crash, repeated ids) go to
    /// <paramref name="error"/>. Returns null after printing an error that says what is wrong.
    /// </summary>
    public Task<LoadedResult?> LoadAsync(ParseResult parseResult, TextWriter error, CancellationToken cancellationToken) =>
        LoadAsync(parseResult.GetValue(Argument)!, Store.Resolve(parseResult), error, cancellationToken);

    /// <summary>Loads <paramref name="source"/> (a log folder, or a run id in <paramref name="store"/>), as <see cref="LoadAsync(ParseResult, TextWriter, CancellationToken)"/> does.</summary>
    public static async Task<LoadedResult?> LoadAsync(string source, StoreAddress store, TextWriter error, CancellationToken cancellationToken)
    {
        if (Directory.Exists(source))
        {
            return LoadLogs(source, error);
        }

        if (source.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || source.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal))
        {
            error.WriteLine($"error: there is no folder '{source}'. Give a folder with HpBandSter logs, or a run id.");
            return null;
        }

        var (ok, run) = await store.ReadAsync(error, opened => opened is null ? Task.FromResult<StoredRunResult?>(null) : opened.ReadRunAsync(source, cancellationToken), cancellationToken);
        if (!ok)
        {
            return null;
        }

        if (run is null)
        {
            error.WriteLine($"error: '{source}' is neither a folder nor a run in {store.Describe()}. Give a folder with HpBandSter logs, or a run id ('hpbandster list' shows them; --data-dir or --postgres pick the store).");
            return null;
        }

        return new LoadedResult(source, run.Result, run.Spec.SearchSpace, run);
    }

    private static LoadedResult? LoadLogs(string directory, TextWriter error)
    {
        try
        {
            var log = HpBandSterLogReader.Read(directory);
            foreach (var warning in log.Warnings)
            {
                error.WriteLine($"warning: {warning}");
            }

            return new LoadedResult(directory, log.Result, log.ConfigSpaceJson, Run: null);
        }
        catch (Exception e) when (e is FileNotFoundException or LogFormatException or InvalidDataException or IOException)
        {
            error.WriteLine($"error: cannot read HpBandSter logs from '{directory}': {e.Message}");
            return null;
        }
    }
}

/// <summary>A loaded result and where it came from.</summary>
/// <param name="Source">The folder or run id given.</param>
/// <param name="Result">The result.</param>
/// <param name="ConfigSpaceJson">The search space as ConfigSpace JSON, when known.</param>
/// <param name="Run">The stored run, when the source was a run id.</param>
internal sealed record LoadedResult(string Source, OptimizationResult Result, string? ConfigSpaceJson, StoredRunResult? Run);
