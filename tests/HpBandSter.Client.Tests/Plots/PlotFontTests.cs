using HpBandSter.Client.Plots;

namespace HpBandSter.Client.Tests.Plots;

/// <summary>The plots carry their own font, so text renders on machines without any installed font.</summary>
public sealed class PlotFontTests
{
    [Fact]
    public void The_embedded_font_loads_and_has_every_glyph_the_plots_use()
    {
        using var typeface = PlotFont.CreateTypeface();
        Assert.Equal(PlotFont.Name, typeface.FamilyName);

        // ρ in the correlation cells; the rest in titles, ticks and notes.
        const string text = "ρ < 0.2 Losses [0, 1, 2]: budget 9 (n = 12); p-value 1.5e-5 ±∞";
        var glyphs = typeface.GetGlyphs(text);
        Assert.DoesNotContain((ushort)0, glyphs);
    }

    [Fact]
    public void ScottPlot_resolves_the_plot_font_to_the_embedded_face()
    {
        PlotFont.Register();
        PlotFont.Register(); // idempotent

        // Not disposed: ScottPlot may keep the typefaces it hands out for later renders.
        var typeface = ScottPlot.Fonts.GetTypeface(PlotFont.Name, bold: false, italic: false);
        Assert.Equal(PlotFont.Name, typeface.FamilyName);
        Assert.Equal(PlotFont.Name, ScottPlot.Fonts.Default);
    }
}
