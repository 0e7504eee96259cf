using System.CommandLine;
using System.CommandLine.Parsing;

namespace HpBandSter.Client.Plots;

/// <summary>
/// <c>hpbandster plot DIR|RUN --out FOLDER</c>: HpBandSter's visualisations of a result (a log folder or a stored
/// run) as PNG files.
/// </summary>
internal static class PlotCommand
{
    /// <summary>Creates <c>plot</c>.</summary>
    public static Command Create()
    {
        var source = new ResultSource("plot");
        var output = new Option<string>("--out")
        {
            Description = "Folder to write the PNG files to (created if missing; files of the same names are replaced).",
            Required = true,
        };
        var width = new Option<int>("--width") { Description = $"Width of each image in pixels ({ResultPlots.MinSize} to {ResultPlots.MaxSize}).", DefaultValueFactory = _ => 1200 };
        var height = new Option<int>("--height") { Description = $"Height of each image in pixels ({ResultPlots.MinSize} to {ResultPlots.MaxSize}).", DefaultValueFactory = _ => 800 };
        var logY = new Option<bool>("--log-y") { Description = "Logarithmic loss axis for the losses over time and the learning curves (ignored, with a warning, when a loss is not positive)." };
        CheckSize(width);
        CheckSize(height);

        var command = new Command(
            "plot",
            "Plot a result as HpBandSter's visualisations do, one PNG each: " + string.Join(", ", ResultPlots.FileNames) + ". "
            + "Crashed runs are left out of the loss plots and counted in their notes.")
        {
            output, width, height, logY,
        };
        source.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var folder = parseResult.GetValue(output)!;
            if (File.Exists(folder))
            {
                stderr.WriteLine($"error: --out '{folder}' is a file; give a folder to write the plots to.");
                return 1;
            }

            var loaded = await source.LoadAsync(parseResult, stderr, cancellationToken);
            if (loaded is null)
            {
                return 1;
            }

            if (loaded.Result.RunCount == 0)
            {
                stderr.WriteLine($"error: '{loaded.Source}' has no runs to plot.");
                return 1;
            }

            var settings = new PlotSettings(parseResult.GetValue(width), parseResult.GetValue(height), parseResult.GetValue(logY));
            IReadOnlyList<string> files;
            try
            {
                files = ResultPlots.WriteAll(loaded.Result, folder, settings, stderr);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: cannot write the plots to '{folder}': {e.Message}");
                return 1;
            }

            foreach (var file in files)
            {
                stdout.WriteLine(file);
            }

            return 0;
        });
        return command;
    }

    private static void CheckSize(Option<int> option) =>
        option.Validators.Add(result =>
        {
            int value;
            try
            {
                value = result.GetValueOrDefault<int>();
            }
            catch (InvalidOperationException)
            {
                return; // not a number: System.CommandLine reports that itself
            }

            if (value is < ResultPlots.MinSize or > ResultPlots.MaxSize)
            {
                result.AddError($"{option.Name} must be between {ResultPlots.MinSize} and {ResultPlots.MaxSize} pixels (got {value}).");
            }
        });
}
