using System.Text.Json.Nodes;
using HpBandSter.Results;

namespace HpBandSter.Client.Tests.Analysis;

/// <summary>The HpBandSter-style log folders under Analysis/TestData (see generate.py there) and JSON helpers.</summary>
internal static class AnalysisData
{
    /// <summary>A BOHB run's logs as HpBandSter 0.7.4 writes them: crashes, a dead worker, an infinite loss.</summary>
    public static string BohbRun => Folder("bohb_run");

    /// <summary>2-element config lines, reordered time_stamps keys, null info.</summary>
    public static string LegacyRun => Folder("legacy_run");

    /// <summary>results.json line 3 names a configuration configs.json lacks.</summary>
    public static string MissingConfig => Folder("missing_config");

    public static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, "Analysis", "TestData", name);

    /// <summary>A number as analyze --json writes it: null for NaN, "Infinity"/"-Infinity" strings, else a number.</summary>
    public static double Number(JsonNode? node) => node switch
    {
        null => double.NaN,
        JsonValue v when v.TryGetValue<string>(out var s) => s == "Infinity" ? double.PositiveInfinity : s == "-Infinity" ? double.NegativeInfinity : throw new FormatException(s),
        _ => node.GetValue<double>(),
    };

    public static double[] Numbers(JsonNode? node) => node!.AsArray().Select(Number).ToArray();

    public static ConfigId Id(JsonNode? node)
    {
        var a = node!.AsArray();
        Assert.Equal(3, a.Count);
        return new ConfigId((int)a[0]!, (int)a[1]!, (int)a[2]!);
    }

    /// <summary>Copies a test-data folder into <paramref name="target"/> (tests that write next to the logs).</summary>
    public static void CopyTo(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
