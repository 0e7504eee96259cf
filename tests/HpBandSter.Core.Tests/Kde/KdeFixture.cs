using System.Globalization;
using System.Text.Json;
using HpBandSter.Sampling.Kde;

namespace HpBandSter.Tests.Kde;

/// <summary>One case of TestData/kde_statsmodels.json (statsmodels 0.13.5 KDEMultivariate, numpy 1.24.2).</summary>
internal sealed record KdeFixtureCase(
    string Name,
    string VarType,
    int Rows,
    double[] Data,
    double[] ColumnStd,
    double[] Bandwidths,
    double[][] Queries,
    double[] Pdf)
{
    public int Dims => VarType.Length;

    public override string ToString() => Name;

    /// <summary>Column descriptions; categorical columns get the number of levels observed (at least 1) unless given.</summary>
    public KdeColumn[] Columns(IReadOnlyDictionary<int, int>? levels = null)
    {
        var columns = new KdeColumn[Dims];
        for (var j = 0; j < Dims; j++)
        {
            if (VarType[j] == 'c')
            {
                columns[j] = KdeColumn.Continuous();
            }
            else
            {
                var observed = Enumerable.Range(0, Rows).Select(i => Data[(i * Dims) + j]).Distinct().Count();
                var max = (int)Enumerable.Range(0, Rows).Max(i => Data[(i * Dims) + j]);
                columns[j] = KdeColumn.Categorical(levels is not null && levels.TryGetValue(j, out var l) ? l : Math.Max(observed, max + 1));
            }
        }

        return columns;
    }

    public double Value(int row, int column) => Data[(row * Dims) + column];
}

/// <summary>Loads the statsmodels fixture once.</summary>
internal static class KdeFixture
{
    private static readonly Lazy<IReadOnlyDictionary<string, KdeFixtureCase>> Cases = new(Load);

    public static IEnumerable<object[]> CaseNames => Cases.Value.Keys.Select(k => new object[] { k });

    public static KdeFixtureCase Get(string name) => Cases.Value[name];

    private static IReadOnlyDictionary<string, KdeFixtureCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "kde_statsmodels.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, KdeFixtureCase>();
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            var data = c.GetProperty("data").EnumerateArray().Select(Row).ToArray();
            result[name] = new KdeFixtureCase(
                name,
                c.GetProperty("var_type").GetString()!,
                data.Length,
                data.SelectMany(r => r).ToArray(),
                Row(c.GetProperty("column_std_ddof0")),
                Row(c.GetProperty("bw_normal_reference")),
                c.GetProperty("query").EnumerateArray().Select(Row).ToArray(),
                Row(c.GetProperty("pdf")));
        }

        return result;
    }

    private static double[] Row(JsonElement element) => element.EnumerateArray().Select(Number).ToArray();

    private static double Number(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? element.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var other => double.Parse(other!, CultureInfo.InvariantCulture),
        }
        : element.GetDouble();
}
