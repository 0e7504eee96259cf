using HpBandSter.Logs;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Client;

/// <summary>
/// <c>run --warm-start DIR|RUN</c>: turns an earlier run (HpBandSter logs, ours or Python HpBandSter's, or a run in
/// the store) into the warm-start data a run carries: the text of its <c>configs.json</c> and <c>results.json</c>.
/// </summary>
internal static class WarmStartLoader
{
    /// <summary>The warm-start data of <paramref name="loaded"/>.</summary>
    public static WarmStartSpec ToSpec(LoadedResult loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (loaded.Run is null)
        {
            // A log folder is sent as written (the silo reads it with the same reader and validates it).
            return new WarmStartSpec
            {
                Source = loaded.Source,
                ConfigsJson = File.ReadAllText(Path.Combine(loaded.Source, HpBandSterLogFiles.Configs)),
                ResultsJson = File.ReadAllText(Path.Combine(loaded.Source, HpBandSterLogFiles.Results)),
            };
        }

        var directory = Directory.CreateTempSubdirectory("hpbandster-warm-start-");
        try
        {
            HpBandSterLogWriter.Export(loaded.Result, directory.FullName);
            return new WarmStartSpec
            {
                Source = $"run {loaded.Source}",
                ConfigsJson = File.ReadAllText(Path.Combine(directory.FullName, HpBandSterLogFiles.Configs)),
                ResultsJson = File.ReadAllText(Path.Combine(directory.FullName, HpBandSterLogFiles.Results)),
            };
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
