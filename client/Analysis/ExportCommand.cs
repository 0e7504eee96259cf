using System.CommandLine;
using System.Text;
using HpBandSter.Logs;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Client.Analysis;

/// <summary>
/// <c>hpbandster export SOURCE --out DIR</c>: writes a run (or re-writes a log folder) as HpBandSter's live logs,
/// byte-compatible with <c>json_result_logger</c>, or as CSV.
/// </summary>
internal static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var source = new ResultSource("export");
        var output = new Option<string>("--out")
        {
            Description = "Folder to write to (created if missing). hpbandster format: configs.json, results.json and configspace.json (when the search space is known); csv: results.csv.",
            Required = true,
            HelpName = "DIR",
        };
        var format = new Option<string>("--format")
        {
            Description = "hpbandster: the files HpBandSter's json_result_logger writes (read them with hpbandster.core.result.logged_results_to_HBS_result, CAVE or DeepCAVE). "
                + "csv: one row per evaluation: iteration,stage,index (the config id), budget, loss (empty if none), crashed, error, submitted, started, finished (Unix seconds), model_based_pick, info (JSON), then one column per hyperparameter (empty when inactive).",
            DefaultValueFactory = _ => "hpbandster",
        };
        format.AcceptOnlyFromAmong("hpbandster", "csv");
        var force = new Option<bool>("--force") { Description = "Overwrite files the export would write that already exist in --out." };
        var command = new Command("export", "Export a run from the run store (no cluster needed), or a folder of HpBandSter logs, as HpBandSter logs or CSV.")
        {
            output, format, force,
        };
        source.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var outDir = parseResult.GetValue(output)!;
            var csv = parseResult.GetValue(format) == "csv";
            var overwrite = parseResult.GetValue(force);
            if (string.IsNullOrWhiteSpace(outDir))
            {
                return Cli.ReportUsageError(command, stderr, $"{output.Name} must name a folder.");
            }

            if (File.Exists(outDir))
            {
                return Cli.ReportUsageError(command, stderr, $"{output.Name}: '{outDir}' is a file; give a folder.");
            }

            var files = csv
                ? new[] { CsvExport.FileName }
                : new[] { HpBandSterLogFiles.Configs, HpBandSterLogFiles.Results, HpBandSterLogFiles.ConfigSpace };
            var existing = files.Where(f => File.Exists(Path.Combine(outDir, f))).ToArray();
            if (existing.Length > 0 && !overwrite)
            {
                return Cli.ReportUsageError(command, stderr, $"{output.Name}: '{outDir}' already holds {string.Join(", ", existing)}; nothing was written. Choose another folder, or pass --force to overwrite.");
            }

            var loaded = await source.LoadAsync(parseResult, stderr, cancellationToken);
            if (loaded is null)
            {
                return 1;
            }

            var result = loaded.Result;
            if (loaded.Run is { State: RunState.Running } run)
            {
                stderr.WriteLine($"note: run {loaded.Source} has not finished (it is running, or was interrupted and will resume); exporting the {result.RunCount} evaluations recorded so far{(run.Pending > 0 ? $" ({run.Pending} in flight are not included)" : string.Empty)}. Export again when it has ended for the rest.");
            }

            try
            {
                Directory.CreateDirectory(outDir);
                if (csv)
                {
                    await File.WriteAllTextAsync(Path.Combine(outDir, CsvExport.FileName), CsvExport.Write(result), new UTF8Encoding(false), cancellationToken);
                    stdout.WriteLine($"Wrote {result.RunCount} evaluations of {result.ConfigCount} configurations to {Path.Combine(outDir, CsvExport.FileName)}.");
                    return 0;
                }

                var configSpacePath = Path.Combine(outDir, HpBandSterLogFiles.ConfigSpace);
                if (loaded.ConfigSpaceJson is null && overwrite && File.Exists(configSpacePath))
                {
                    File.Delete(configSpacePath); // a stale search space must not sit next to the new logs
                }

                HpBandSterLogWriter.Export(result, outDir, overwrite, loaded.ConfigSpaceJson);
                var space = loaded.ConfigSpaceJson is null ? " (no configspace.json: the source has no search space)" : string.Empty;
                stdout.WriteLine($"Wrote {result.ConfigCount} configurations and {result.RunCount} results as HpBandSter logs to {outDir}{space}.");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: cannot write to '{outDir}': {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
