using HpBandSter.Client.Plots;
using HpBandSter.Logs;
using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Results;

namespace HpBandSter.Client.Tests.Plots;

/// <summary>`hpbandster plot`: the files it writes, from a log folder and from a stored run, and its errors.</summary>
public sealed class PlotCommandTests
{
    [Fact]
    public void Plots_a_log_folder_and_the_same_run_from_the_store()
    {
        using var data = new TempDirectory();
        var logs = data.File("logs");
        var (runExit, _, runError) = CliRunner.Run(
            "run", "--objective", "toy", "--optimizer", "bohb", "--iterations", "2", "--seed", "3",
            "--run-id", "plotted", "--data-dir", data.Path, "--out", logs, "--json");
        Assert.True(runExit == 0, runError);

        var fromLogs = data.File("from-logs");
        var (exit, output, error) = CliRunner.Run("plot", logs, "--out", fromLogs, "--width", "900", "--height", "600");
        Assert.True(exit == 0, error);
        AssertPlotsWritten(output, fromLogs, 900, 600);

        var fromStore = data.File("from-store");
        (exit, output, error) = CliRunner.Run("plot", "plotted", "--data-dir", data.Path, "--out", fromStore, "--log-y");
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("warning", error, StringComparison.Ordinal); // the toy's losses are all positive
        AssertPlotsWritten(output, fromStore, 1200, 800);
    }

    [Fact]
    public void Crashed_runs_are_left_out_and_counted()
    {
        using var dir = new TempDirectory();
        var toy = new ToyObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.HyperBand, 9, 243, 1), toy.Space, 5);
        var calls = 0;
        var time = 1000.0;
        var result = SequentialRunner.Run(
            optimizer,
            job => ++calls % 7 == 0
                ? throw new InvalidOperationException("out of memory")
                : JobOutcome.Success(toy.Evaluate(job.Config, job.Budget, new RandomSource(calls)).Loss),
            clock: () => time += 0.5);
        var crashed = result.GetAllRuns().Count(r => r.Loss is null);
        Assert.True(crashed >= 2, $"the objective should have crashed several times, crashed {crashed}");
        HpBandSterLogWriter.Export(result, dir.Path);

        Assert.Equal($"{crashed} crashed runs (no loss) left out", PlotData.LeftOutNote(result));
        var plotted = PlotData.LossesOverTime(result, PlotData.TimeOrigin(result)).Sum(s => s.Values.Length);
        Assert.Equal(result.RunCount - crashed, plotted);
        Assert.Equal(result.RunCount, PlotData.FinishedRunsOverTime(result, 0).Sum(s => s.Values.Length - 1));

        var folder = dir.File("plots");
        var (exit, output, error) = CliRunner.Run("plot", dir.Path, "--out", folder, "--width", "640", "--height", "480");
        Assert.True(exit == 0, error);
        AssertPlotsWritten(output, folder, 640, 480);
    }

    [Fact]
    public void Without_model_based_picks_or_a_second_budget_every_file_is_still_written()
    {
        using var dir = new TempDirectory();
        var toy = new ToyObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.RandomSearch, 9, 243, 1), toy.Space, 6);
        var seed = 0;
        var result = SequentialRunner.Run(optimizer, job => JobOutcome.Success(toy.Evaluate(job.Config, job.Budget, new RandomSource(++seed)).Loss));
        Assert.Single(PlotData.Budgets(result));
        var picks = PlotData.ModelVsRandom(result);
        Assert.False(picks.AnyModelBased);
        Assert.Equal(result.RunCount, Assert.Single(picks.Budgets).Random.Length); // unflagged configurations count as random
        Assert.Equal(result.RunCount, picks.Unflagged);

        var settings = new PlotSettings(800, 600, LogY: false);
        using (var figure = ResultPlots.ModelVsRandom(result, settings, TextWriter.Null))
        {
            Assert.Contains("no model-based picks", figure.Title, StringComparison.Ordinal);
        }

        var files = ResultPlots.WriteAll(result, dir.Path, settings, TextWriter.Null);
        Assert.Equal(ResultPlots.FileNames, files.Select(Path.GetFileName));
        foreach (var file in files)
        {
            PngFile.AssertValid(file, 800, 600);
        }
    }

    [Fact]
    public void Log_y_with_a_loss_that_is_not_positive_warns_and_plots_linearly()
    {
        using var dir = new TempDirectory();
        var toy = new ToyObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.HyperBand, 9, 243, 1), toy.Space, 7);
        var seed = 0;
        var result = SequentialRunner.Run(optimizer, job => JobOutcome.Success(toy.Evaluate(job.Config, job.Budget, new RandomSource(++seed)).Loss - 0.5));
        var warnings = new StringWriter();

        var files = ResultPlots.WriteAll(result, dir.Path, new PlotSettings(700, 500, LogY: true), warnings);

        Assert.Contains("losses_over_time.png: --log-y ignored, some losses are not positive", warnings.ToString(), StringComparison.Ordinal);
        Assert.Contains("learning_curves.png: --log-y ignored", warnings.ToString(), StringComparison.Ordinal);
        Assert.All(files, f => PngFile.AssertValid(f, 700, 500));
    }

    [Fact]
    public void Concurrent_runs_of_a_sequential_run_never_exceed_one()
    {
        var toy = new ToyObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.HyperBand, 9, 243, 1), toy.Space, 8);
        var time = 50.0;
        var seed = 0;
        var result = SequentialRunner.Run(optimizer, job => JobOutcome.Success(toy.Evaluate(job.Config, job.Budget, new RandomSource(++seed)).Loss), clock: () => time += 1);

        var (times, counts) = PlotData.ConcurrentRuns(result, PlotData.TimeOrigin(result));

        Assert.Equal(1, counts.Max());
        Assert.Equal(0, counts[^1]);
        Assert.Equal(times.Order(), times);
        Assert.Equal(0, times[0]); // the first submission is time zero
    }

    [Fact]
    public void A_missing_source_is_an_error()
    {
        using var dir = new TempDirectory();
        var (exit, output, error) = CliRunner.Run("plot", Path.Combine(dir.Path, "no-such-logs"), "--out", dir.File("plots"));
        Assert.NotEqual(0, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("there is no folder", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run("plot", "no-such-run", "--data-dir", dir.Path, "--out", dir.File("plots"));
        Assert.NotEqual(0, exit);
        Assert.Contains("'no-such-run' is neither a folder nor a run", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("plots")), "nothing is written for a missing source");
    }

    [Fact]
    public void A_log_folder_without_runs_is_an_error()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Path);
        File.WriteAllText(dir.File("configs.json"), string.Empty);
        File.WriteAllText(dir.File("results.json"), string.Empty);

        var (exit, output, error) = CliRunner.Run("plot", dir.Path, "--out", dir.File("plots"));

        Assert.NotEqual(0, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("holds no finished run yet", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("plots")), "nothing is written for an empty result");
    }

    [Fact]
    public void An_empty_result_is_refused_before_anything_is_written()
    {
        using var dir = new TempDirectory();
        var empty = new OptimizationResult([], [], new ResultSettings(9, 243, [9, 27, 81, 243], 3, 0));

        var e = Assert.Throws<ArgumentException>(() => ResultPlots.WriteAll(empty, dir.Path, new PlotSettings(800, 600, LogY: false), TextWriter.Null));

        Assert.Contains("no runs to plot", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Path));
    }

    [Theory]
    [InlineData("--width", "10", "--width must be between 400 and 8000 pixels (got 10)")]
    [InlineData("--height", "9000", "--height must be between 400 and 8000 pixels (got 9000)")]
    [InlineData("--width", "wide", "Cannot parse argument 'wide' for option '--width'")]
    public void A_bad_size_is_a_usage_error(string option, string value, string message)
    {
        var (exit, output, error) = CliRunner.Run("plot", "some-run", "--out", "plots", option, value);
        Assert.Equal(Cli.UsageError, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_is_required()
    {
        var (exit, _, error) = CliRunner.Run("plot", "some-run");
        Assert.Equal(Cli.UsageError, exit);
        Assert.Contains("--out", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_out_folder_is_an_error()
    {
        using var dir = new TempDirectory();
        var logs = dir.File("logs");
        WriteSmallLogs(logs);
        var file = dir.File("a-file");
        File.WriteAllText(file, "not a folder");

        var (exit, output, error) = CliRunner.Run("plot", logs, "--out", file);
        Assert.NotEqual(0, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("is a file", error, StringComparison.Ordinal);

        // A folder under a file cannot be created, even by root.
        (exit, output, error) = CliRunner.Run("plot", logs, "--out", Path.Combine(file, "plots"));
        Assert.NotEqual(0, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("cannot write the plots to", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_describes_the_command()
    {
        var (exit, output, _) = CliRunner.Run("plot", "--help");
        Assert.Equal(0, exit);
        foreach (var expected in new[] { "--out", "--width", "--height", "--log-y", "--data-dir", "losses_over_time.png", "learning_curves.png" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    private static void WriteSmallLogs(string directory)
    {
        var toy = new ToyObjective();
        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.Bohb, 9, 243, 1), toy.Space, 9);
        var seed = 0;
        var result = SequentialRunner.Run(optimizer, job => JobOutcome.Success(toy.Evaluate(job.Config, job.Budget, new RandomSource(++seed)).Loss));
        HpBandSterLogWriter.Export(result, directory);
    }

    private static void AssertPlotsWritten(string output, string folder, int width, int height)
    {
        var expected = ResultPlots.FileNames.Select(name => Path.Combine(folder, name)).ToArray();
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var file in expected)
        {
            PngFile.AssertValid(file, width, height);
        }
    }
}
