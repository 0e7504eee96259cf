using ScottPlot;
using SkiaSharp;

namespace HpBandSter.Client.Plots;

/// <summary>
/// The font every plot uses: DejaVu Sans, embedded in the client. ScottPlot has no font of its own and the
/// dependency-free SkiaSharp build only sees files under /usr/share/fonts, so on a machine without fonts (a slim
/// container) every label would be blank; with the embedded font the plots look the same everywhere.
/// </summary>
internal static class PlotFont
{
    /// <summary>The family name the plots ask for.</summary>
    public const string Name = "DejaVu Sans";

    private const string ResourceName = "HpBandSter.Client.Plots.Fonts.DejaVuSans.ttf";

    private static readonly Lazy<byte[]> Data = new(LoadData);
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Registers the embedded font with ScottPlot once (thread-safe) and makes it the default.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            Fonts.FontResolvers.Insert(0, new EmbeddedResolver());
            Fonts.Default = Name;
            _registered = true;
        }
    }

    /// <summary>A new typeface of the embedded font (for text drawn outside ScottPlot).</summary>
    public static SKTypeface CreateTypeface()
    {
        using var data = SKData.CreateCopy(Data.Value);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("The embedded font DejaVuSans.ttf cannot be read.");
    }

    private static byte[] LoadData()
    {
        using var stream = typeof(PlotFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded font {ResourceName} is missing from the client assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Answers for <see cref="Name"/> only (any weight or slant: one regular face), so other names still reach the system fonts.</summary>
    private sealed class EmbeddedResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
            string.Equals(fontName, Name, StringComparison.OrdinalIgnoreCase) ? PlotFont.CreateTypeface() : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            string.Equals(fontName, Name, StringComparison.OrdinalIgnoreCase) ? PlotFont.CreateTypeface() : null;
    }
}
