using System.Globalization;
using HpBandSter.Results;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace HpBandSter.Client.Plots;

/// <summary>What the plots look like: the image size and whether loss axes are logarithmic.</summary>
/// <param name="Width">Width of every image in pixels.</param>
/// <param name="Height">Height of every image in pixels.</param>
/// <param name="LogY">A logarithmic loss axis (only where every plotted loss is positive).</param>
internal sealed record PlotSettings(int Width, int Height, bool LogY);

/// <summary>
/// Draws HpBandSter's visualisations (<c>hpbandster.visualization</c>) of a result as PNG files with ScottPlot:
/// losses over time, concurrent and finished runs over time, correlation across budgets, model-based versus
/// random losses, and learning curves.
/// </summary>
internal static class ResultPlots
{
    /// <summary>The smallest width or height accepted, in pixels (below it titles and legends no longer fit).</summary>
    public const int MinSize = 400;

    /// <summary>The largest width or height accepted, in pixels (an 8000 x 8000 image already takes 256 MB to draw).</summary>
    public const int MaxSize = 8000;

    /// <summary>The files <see cref="WriteAll"/> writes, in order.</summary>
    public static readonly IReadOnlyList<string> FileNames =
    [
        "losses_over_time.png",
        "concurrent_runs_over_time.png",
        "finished_runs_over_time.png",
        "correlation_across_budgets.png",
        "model_vs_random.png",
        "learning_curves.png",
    ];

    private const string TimeLabel = "wall clock time since the first submission [s]";
    private static readonly Color[] Palette = Colors.Category10;

    /// <summary>
    /// Writes every plot into <paramref name="folder"/> (created if needed; files of the same names are replaced)
    /// and returns the paths written, in <see cref="FileNames"/> order. Notes (such as an ignored --log-y) go to
    /// <paramref name="warnings"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The result has no runs, or a size is out of range.</exception>
    /// <exception cref="IOException">The folder or a file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or a file cannot be written.</exception>
    public static IReadOnlyList<string> WriteAll(OptimizationResult result, string folder, PlotSettings settings, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(settings);
        if (result.RunCount == 0)
        {
            throw new ArgumentException("the result has no runs to plot.", nameof(result));
        }

        CheckSize(settings.Width, "width");
        CheckSize(settings.Height, "height");
        PlotFont.Register();
        Directory.CreateDirectory(folder);

        Func<OptimizationResult, PlotSettings, TextWriter, Figure>[] builders =
        [
            LossesOverTime, ConcurrentRunsOverTime, FinishedRunsOverTime, CorrelationAcrossBudgets, ModelVsRandom, LearningCurves,
        ];
        var written = new List<string>(builders.Length);
        for (var i = 0; i < builders.Length; i++)
        {
            using var figure = builders[i](result, settings, warnings);
            var path = Path.Combine(folder, FileNames[i]);
            File.WriteAllBytes(path, figure.RenderPng(settings.Width, settings.Height));
            written.Add(path);
        }

        return written;
    }

    /// <summary>Throws when <paramref name="pixels"/> is outside [<see cref="MinSize"/>, <see cref="MaxSize"/>].</summary>
    public static void CheckSize(int pixels, string name)
    {
        if (pixels is < MinSize or > MaxSize)
        {
            throw new ArgumentOutOfRangeException(name, pixels, $"the {name} must be between {MinSize} and {MaxSize} pixels, not {pixels}.");
        }
    }

    /// <summary>HpBandSter's losses_over_time: per budget the losses by finish time with their running minimum, and the incumbent.</summary>
    internal static Figure LossesOverTime(OptimizationResult result, PlotSettings settings, TextWriter warnings)
    {
        var origin = PlotData.TimeOrigin(result);
        var series = PlotData.LossesOverTime(result, origin);
        var trajectory = result.GetIncumbentTrajectory();
        var y = LossScale(settings, series.SelectMany(s => s.Values), "losses_over_time.png", warnings);

        var plot = NewPanel();
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var color = Palette[i % Palette.Length];
            var points = plot.Add.ScatterPoints(s.Times, s.Values.Select(y.Transform).ToArray(), color);
            points.MarkerSize = 7;
            points.LegendText = $"budget {PlotData.FormatBudget(s.Budget)} ({PlotData.Count(s.Values.Length, "run")})";
            var minimum = plot.Add.ScatterLine(s.Times, PlotData.RunningMinimum(s.Values).Select(y.Transform).ToArray(), color.WithOpacity(0.7));
            minimum.ConnectStyle = ConnectStyle.StepHorizontal;
            minimum.LineWidth = 1.5f;
        }

        if (trajectory.ConfigIds.Count > 0)
        {
            var incumbent = plot.Add.ScatterLine(
                trajectory.TimesFinished.Select(t => t - origin).ToArray(),
                trajectory.Losses.Select(y.Transform).ToArray(),
                Colors.Black);
            incumbent.ConnectStyle = ConnectStyle.StepHorizontal;
            incumbent.LineWidth = 3;
            incumbent.LegendText = $"incumbent (final loss {FormatLoss(trajectory.Losses[^1])})";
        }
        else
        {
            NoData(plot, "No run has a finite loss.");
        }

        plot.XLabel(TimeLabel);
        plot.YLabel(y.Label);
        y.Apply(plot);
        ShowLegendOutside(plot);
        return new Figure("Losses for different budgets over time", Join("thin lines: running minimum per budget; black: incumbent trajectory (HpBandSter's default, a larger budget takes over)", PlotData.LeftOutNote(result)), [plot]);
    }

    /// <summary>HpBandSter's concurrent_runs_over_time.</summary>
    internal static Figure ConcurrentRunsOverTime(OptimizationResult result, PlotSettings settings, TextWriter warnings)
    {
        var (times, counts) = PlotData.ConcurrentRuns(result, PlotData.TimeOrigin(result));
        var plot = NewPanel();
        var line = plot.Add.ScatterLine(times, counts, Palette[0]);
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LineWidth = 2;
        plot.XLabel(TimeLabel);
        plot.YLabel("number of concurrent runs");
        plot.Axes.Left.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsY(0, Math.Max(1, counts.DefaultIfEmpty(0).Max()) * 1.1);
        var note = string.Create(CultureInfo.InvariantCulture, $"{PlotData.Count(result.RunCount, "run")}, at most {counts.DefaultIfEmpty(0).Max():0} at once (crashed runs included)");
        return new Figure("Concurrent runs over time", note, [plot]);
    }

    /// <summary>HpBandSter's finished_runs_over_time: per budget the cumulative number of finished runs.</summary>
    internal static Figure FinishedRunsOverTime(OptimizationResult result, PlotSettings settings, TextWriter warnings)
    {
        var series = PlotData.FinishedRunsOverTime(result, PlotData.TimeOrigin(result));
        var plot = NewPanel();
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var line = plot.Add.ScatterLine(s.Times, s.Values, Palette[i % Palette.Length]);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.LegendText = $"budget {PlotData.FormatBudget(s.Budget)} ({PlotData.Count(s.Values.Length - 1, "run")})";
        }

        plot.XLabel(TimeLabel);
        plot.YLabel("number of finished runs");
        plot.Axes.Left.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.SetLimitsY(0, Math.Max(1, series.Max(s => s.Values[^1])) * 1.05);
        ShowLegendOutside(plot);
        var crashed = result.GetAllRuns().Count(r => r.IsCrashed);
        var note = crashed > 0 ? $"counts include {PlotData.Count(crashed, "crashed run")}" : null;
        return new Figure("Finished runs over time", note, [plot]);
    }

    /// <summary>HpBandSter's correlation_across_budgets: Spearman's rank correlation between each pair of budgets.</summary>
    internal static Figure CorrelationAcrossBudgets(OptimizationResult result, PlotSettings settings, TextWriter warnings)
    {
        const string title = "Rank correlation of the loss across budgets";
        var matrix = PlotData.Correlations(result);
        var plot = NewPanel();
        var rows = matrix.RowBudgets.Length;
        var columns = matrix.ColumnBudgets.Length;
        if (rows == 0)
        {
            var budgets = PlotData.Budgets(result);
            NoData(plot, $"Only one budget ({PlotData.FormatBudget(budgets[0])}): there is no pair of budgets to correlate.");
            plot.HideAxesAndGrid();
            return new Figure(title, null, [plot]);
        }

        var values = new double[rows, columns];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                values[i, j] = matrix.Cells[i, j]?.Rho ?? double.NaN;
            }
        }

        // The cells are rectangles (exact cell edges at any size); an invisible heatmap of the same values carries
        // the colour scale for the colour bar.
        var colormap = new ScottPlot.Colormaps.Balance();
        var range = new ScottPlot.Range(-1, 1);
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = range;
        heatmap.Opacity = 0;
        heatmap.Extent = new CoordinateRect(-0.5, columns - 0.5, -0.5, rows - 0.5);
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "Spearman's ρ";
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                if (matrix.Cells[i, j] is not null)
                {
                    var rect = plot.Add.Rectangle(j - 0.5, j + 0.5, rows - 1 - i - 0.5, rows - 1 - i + 0.5);
                    rect.FillColor = double.IsFinite(values[i, j]) ? colormap.GetColor(values[i, j], range) : Colors.LightGray;
                    rect.LineColor = Colors.White;
                    rect.LineWidth = 2;
                }
            }
        }

        // Three lines per cell; keep them inside the cell at any image size.
        var cellPixels = Math.Min((settings.Width - 250f) / columns, (settings.Height - 250f) / rows) / Figure.PanelScale(settings.Width, settings.Height);
        var fontSize = Math.Clamp(cellPixels / 7f, 9f, 18f);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                if (matrix.Cells[i, j] is not { } cell)
                {
                    continue;
                }

                var text = plot.Add.Text(CellText(cell), j, rows - 1 - i);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelStyle.FontSize = fontSize;
                text.LabelStyle.ForeColor = double.IsFinite(cell.Rho) && Math.Abs(cell.Rho) > 0.6 ? Colors.White : Colors.Black;
            }
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(
            Enumerable.Range(0, columns).Select(j => (double)j).ToArray(),
            matrix.ColumnBudgets.Select(PlotData.FormatBudget).ToArray());
        plot.Axes.Left.TickGenerator = new NumericManual(
            Enumerable.Range(0, rows).Select(i => (double)(rows - 1 - i)).ToArray(),
            matrix.RowBudgets.Select(PlotData.FormatBudget).ToArray());
        plot.XLabel("larger budget");
        plot.YLabel("smaller budget");
        plot.HideGrid();
        plot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, rows - 0.5);
        return new Figure(title, "Spearman's ρ, p-value and n configurations run on both budgets; ρ < 0.2 means the smaller budget misleads (HpBandSter's advice)", [plot]);
    }

    /// <summary>HpBandSter's performance_histogram_model_vs_random: per budget, histograms of the losses of both kinds of pick.</summary>
    internal static Figure ModelVsRandom(OptimizationResult result, PlotSettings settings, TextWriter warnings)
    {
        var picks = PlotData.ModelVsRandom(result);
        var anyModel = picks.AnyModelBased;
        var title = anyModel
            ? "Losses of model-based vs random configurations"
            : "Losses of random configurations (no model-based picks in this result)";
        var unflagged = picks.Unflagged > 0 ? $"{PlotData.Count(picks.Unflagged, "run")} of configurations without a model_based_pick flag counted as random" : null;
        var note = Join(PlotData.LeftOutNote(result), unflagged);
        if (picks.Budgets.Count == 0)
        {
            var empty = NewPanel();
            NoData(empty, "No run has a finite loss.");
            return new Figure(title, note, [empty]);
        }

        var panels = new List<Plot>(picks.Budgets.Count);
        foreach (var budget in picks.Budgets)
        {
            panels.Add(HistogramPanel(budget, anyModel));
        }

        var columns = panels.Count <= 3 ? 1 : 2;
        return new Figure(title, note, panels, columns);
    }

    /// <summary>HpBandSter's interactive learning-curve plot, drawn still: loss over budget per configuration, coloured by iteration.</summary>
    internal static Figure LearningCurves(OptimizationResult result, PlotSettings settings, TextWriter warnings)
    {
        var curves = result.GetLearningCurves()
            .Select(pair => (Id: pair.Key, Points: pair.Value.SelectMany(c => c).Where(p => double.IsFinite(p.Y)).ToArray()))
            .Where(c => c.Points.Length > 0)
            .ToArray();
        var y = LossScale(settings, curves.SelectMany(c => c.Points.Select(p => p.Y)), "learning_curves.png", warnings);
        var budgets = PlotData.Budgets(result);
        var logX = budgets.Length > 1 && budgets[0] > 0 && budgets[^1] / budgets[0] >= 4;
        Func<double, double> x = logX ? Math.Log10 : b => b;

        var incumbentId = result.GetIncumbentId() ?? result.GetIncumbentId(IncumbentSelection.AnyRun);
        var iterations = curves.Select(c => c.Id.Iteration).Distinct().Order().ToArray();
        var plot = NewPanel();
        var labelled = new HashSet<int>();
        foreach (var (id, points) in curves)
        {
            var color = Palette[Array.IndexOf(iterations, id.Iteration) % Palette.Length];
            var line = plot.Add.Scatter(points.Select(p => x(p.X)).ToArray(), points.Select(p => y.Transform(p.Y)).ToArray(), color.WithOpacity(0.55));
            line.LineWidth = 1.2f;
            line.MarkerSize = 5;
            if (iterations.Length <= 12 && labelled.Add(id.Iteration))
            {
                line.LegendText = id.Iteration < 0 ? "warm-start data" : $"iteration {id.Iteration}";
            }
        }

        string? incumbentNote = null;
        if (incumbentId is { } incumbent && curves.FirstOrDefault(c => c.Id == incumbent).Points is { } best)
        {
            var line = plot.Add.Scatter(best.Select(p => x(p.X)).ToArray(), best.Select(p => y.Transform(p.Y)).ToArray(), Colors.Black);
            line.LineWidth = 3.5f;
            line.MarkerSize = 10;
            line.LegendText = $"incumbent {incumbent}";
            incumbentNote = $"incumbent {incumbent} (black): loss {FormatLoss(best[^1].Y)} on budget {PlotData.FormatBudget(best[^1].X)}";
        }

        if (curves.Length == 0)
        {
            NoData(plot, "No run has a finite loss.");
        }

        plot.Axes.Bottom.TickGenerator = new NumericManual(budgets.Select(x).ToArray(), budgets.Select(PlotData.FormatBudget).ToArray());
        plot.XLabel(logX ? "budget (log scale)" : "budget");
        plot.YLabel(y.Label);
        y.Apply(plot);
        ShowLegendOutside(plot);
        var note = Join($"{PlotData.Count(curves.Length, "configuration")}, coloured by iteration", incumbentNote, PlotData.LeftOutNote(result));
        return new Figure("Learning curves: loss over budget per configuration", note, [plot]);
    }

    private static Plot HistogramPanel(BudgetPicks budget, bool anyModel)
    {
        const int bins = 10;
        var all = budget.ModelBased.Concat(budget.Random).ToArray();
        var low = all.Min();
        var high = all.Max();
        if (high - low < 1e-12 * Math.Max(1, Math.Abs(low)))
        {
            var pad = Math.Max(0.5, Math.Abs(low) * 0.05);
            (low, high) = (low - pad, high + pad);
        }

        var width = (high - low) / bins;
        var plot = NewPanel();
        var groups = anyModel
            ? new[] { ("model-based", budget.ModelBased, Palette[0]), ("random", budget.Random, Palette[1]) }
            : new[] { ("random", budget.Random, Palette[1]) };
        for (var g = 0; g < groups.Length; g++)
        {
            var (name, losses, color) = groups[g];
            var counts = new int[bins];
            foreach (var loss in losses)
            {
                counts[Math.Clamp((int)((loss - low) / width), 0, bins - 1)]++;
            }

            var barWidth = width / groups.Length;
            var bars = Enumerable.Range(0, bins).Select(b => new Bar
            {
                Position = low + (b * width) + ((g + 0.5) * barWidth),
                Value = counts[b],
                Size = barWidth * 0.95,
                FillColor = color,
                LineWidth = 0,
            }).ToList();
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = $"{name} (n = {losses.Length})";
        }

        plot.Title($"budget {PlotData.FormatBudget(budget.Budget)}", 16);
        plot.XLabel("loss");
        plot.YLabel("frequency");
        plot.Axes.Left.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Margins(bottom: 0);
        ShowLegend(plot, Alignment.UpperRight);
        return plot;
    }

    private static string CellText(BudgetCorrelation cell) =>
        double.IsFinite(cell.Rho)
            ? string.Create(CultureInfo.InvariantCulture, $"ρ = {cell.Rho:0.000}\np = {FormatP(cell.PValue)}\nn = {cell.Count}")
            : string.Create(CultureInfo.InvariantCulture, $"ρ: n/a\nn = {cell.Count}");

    private static string FormatP(double p) =>
        !double.IsFinite(p) ? "n/a"
        : p == 0 ? "0"
        : p < 0.001 ? p.ToString("0.0e-0", CultureInfo.InvariantCulture)
        : p.ToString("0.000", CultureInfo.InvariantCulture);

    private static string FormatLoss(double loss) => loss.ToString("G4", CultureInfo.InvariantCulture);

    private static string? Join(params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrEmpty(p)).ToArray();
        return present.Length == 0 ? null : string.Join("; ", present);
    }

    private static Plot NewPanel()
    {
        var plot = new Plot();
        plot.Font.Set(PlotFont.Name);
        plot.Axes.Bottom.Label.FontSize = 16;
        plot.Axes.Left.Label.FontSize = 16;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        return plot;
    }

    private static void ShowLegend(Plot plot, Alignment alignment)
    {
        if (HasLegendItems(plot))
        {
            plot.ShowLegend(alignment);
            plot.Legend.FontSize = 13;
            plot.Legend.BackgroundColor = Colors.White.WithOpacity(0.85);
        }
    }

    /// <summary>A legend to the right of the data area, where it can hide no point.</summary>
    private static void ShowLegendOutside(Plot plot)
    {
        if (HasLegendItems(plot))
        {
            plot.ShowLegend(Edge.Right);
            plot.Legend.FontSize = 13;
        }
    }

    private static bool HasLegendItems(Plot plot) =>
        plot.GetPlottables().Any(p => p.LegendItems.Any(i => !string.IsNullOrEmpty(i.LabelText)));

    private static void NoData(Plot plot, string message)
    {
        var annotation = plot.Add.Annotation(message, Alignment.MiddleCenter);
        annotation.LabelStyle.FontSize = 18;
        annotation.LabelStyle.BackgroundColor = Colors.WhiteSmoke;
    }

    private static LossAxis LossScale(PlotSettings settings, IEnumerable<double> losses, string file, TextWriter warnings)
    {
        if (!settings.LogY)
        {
            return LossAxis.Linear;
        }

        var values = losses.ToArray();
        if (values.Any(v => v <= 0))
        {
            warnings.WriteLine($"warning: {file}: --log-y ignored, some losses are not positive (the smallest is {FormatLoss(values.Min())}).");
            return LossAxis.Linear;
        }

        return LossAxis.Log(values);
    }

    /// <summary>A loss axis: linear, or log10 (ScottPlot draws log scales as log-transformed data with matching ticks).</summary>
    private sealed record LossAxis(Func<double, double> Transform, string Label, Action<Plot> Apply)
    {
        public static readonly LossAxis Linear = new(v => v, "loss", _ => { });

        public static LossAxis Log(double[] values)
        {
            var decades = values.Length == 0 ? 0 : Math.Log10(values.Max()) - Math.Log10(values.Min());
            return new LossAxis(Math.Log10, "loss (log scale)", plot => plot.Axes.Left.TickGenerator = new NumericAutomatic
            {
                // Over a decade or more, ticks at powers of ten; over less, ordinary ticks labelled with their loss.
                IntegerTicksOnly = decades >= 1,
                MinorTickGenerator = new LogMinorTickGenerator(),
                LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture),
            });
        }
    }
}
