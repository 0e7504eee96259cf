using ScottPlot;
using SkiaSharp;

namespace HpBandSter.Client.Plots;

/// <summary>
/// One PNG: a heading (title, and an optional note line under it, HpBandSter's suptitle) above one or more
/// ScottPlot panels laid out in a grid.
/// </summary>
internal sealed class Figure(string title, string? note, IReadOnlyList<Plot> panels, int columns = 1) : IDisposable
{
    public string Title { get; } = title;

    public string? Note { get; } = note;

    public IReadOnlyList<Plot> Panels { get; } = panels;

    /// <summary>Renders the figure at exactly <paramref name="width"/> x <paramref name="height"/> pixels and encodes it as PNG.</summary>
    public byte[] RenderPng(int width, int height)
    {
        var scale = HeadingScale(width, height);
        foreach (var panel in Panels)
        {
            panel.Font.Set(PlotFont.Name);
            panel.ScaleFactor = PanelScale(width, height);
        }

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Cannot create a {width}x{height} drawing surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        using var typeface = PlotFont.CreateTypeface();
        using var titleFont = new SKFont(typeface, 24 * scale);
        using var noteFont = new SKFont(typeface, 15 * scale);
        using var titlePaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var notePaint = new SKPaint { Color = new SKColor(0x44, 0x44, 0x44), IsAntialias = true };

        var top = 12 * scale;
        FitWidth(titleFont, Title, width);
        top += titleFont.Size;
        canvas.DrawText(Title, width / 2f, top, SKTextAlign.Center, titleFont, titlePaint);
        if (!string.IsNullOrEmpty(Note))
        {
            FitWidth(noteFont, Note, width);
            top += noteFont.Size * 1.4f;
            canvas.DrawText(Note, width / 2f, top, SKTextAlign.Center, noteFont, notePaint);
        }

        top += 10 * scale;
        var rows = (Panels.Count + columns - 1) / columns;
        var cellWidth = (float)width / columns;
        var cellHeight = (height - top) / Math.Max(rows, 1);
        for (var i = 0; i < Panels.Count; i++)
        {
            // Each panel on a surface of its own: ScottPlot fills the whole canvas with its background when it renders.
            var left = (int)(i % columns * cellWidth);
            var cellTop = (int)(top + (i / columns * cellHeight));
            var panelWidth = (int)((i % columns + 1) * cellWidth) - left;
            var panelHeight = (int)(top + ((i / columns + 1) * cellHeight)) - cellTop;
            using var panelSurface = SKSurface.Create(new SKImageInfo(panelWidth, panelHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
                ?? throw new InvalidOperationException($"Cannot create a {panelWidth}x{panelHeight} drawing surface.");
            Panels[i].Render(panelSurface.Canvas, panelWidth, panelHeight);
            using var panelImage = panelSurface.Snapshot();
            canvas.DrawImage(panelImage, left, cellTop);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>
    /// How much the panels' text and lines are scaled: they are sized for 1200 x 800, grow with larger images (up
    /// to 2.5 times) and shrink a little with smaller ones (to 0.7 times, below which text is hard to read).
    /// </summary>
    public static float PanelScale(int width, int height) => Math.Max(0.7f, HeadingScale(width, height));

    private static float HeadingScale(int width, int height) => Math.Clamp(Math.Min(width / 1200f, height / 800f), 0.6f, 2.5f);

    /// <summary>Shrinks <paramref name="font"/> until <paramref name="text"/> fits the width with a margin (down to 8 px).</summary>
    private static void FitWidth(SKFont font, string text, int width)
    {
        var available = width - 20f;
        var measured = font.MeasureText(text);
        if (measured > available)
        {
            font.Size = Math.Max(8f, font.Size * available / measured);
        }
    }

    public void Dispose()
    {
        foreach (var panel in Panels)
        {
            panel.Dispose();
        }
    }
}
