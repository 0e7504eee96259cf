using System.Text;
using System.Text.Json.Nodes;
using HpBandSter.Logs;
using HpBandSter.Spaces;

namespace HpBandSter.Tests.Logs;

// Expected strings were produced by CPython 3.11's json.dumps with its default arguments.
public sealed class PythonJsonTests
{
    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-06, "1e-06")]
    [InlineData(3.617188990516118e-06, "3.617188990516118e-06")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.5e16, "1.5e+16")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.0, "1.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e22, "1e+22")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(12345678901234567.0, "1.2345678901234568e+16")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(2.2250738585072014e-308, "2.2250738585072014e-308")]
    [InlineData(0.0, "0.0")]
    [InlineData(1534077946.9809837, "1534077946.9809837")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(1.0 / 3.0, "0.3333333333333333")]
    [InlineData(123.456, "123.456")]
    [InlineData(-2.5e-07, "-2.5e-07")]
    [InlineData(4.35e+100, "4.35e+100")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void FloatsAreFormattedAsPythonRepr(double value, string expected) =>
        Assert.Equal(expected, PythonJson.FormatFloat(value));

    [Fact]
    public void NegativeZeroKeepsItsSign() => Assert.Equal("-0.0", PythonJson.FormatFloat(-0.0));

    [Fact]
    public void EveryFormattedFloatParsesBackToTheSameDouble()
    {
        var random = new RandomSource(11L);
        for (var i = 0; i < 20_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble((long)random.NextUInt64());
            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = PythonJson.FormatFloat(value);
            Assert.Equal(value, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
            Assert.DoesNotContain("E", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("quote \" and backslash \\", "\"quote \\\" and backslash \\\\\"")]
    [InlineData("slash /", "\"slash /\"")]
    [InlineData("ctrl \u0000\u0001\u001f\u007f", "\"ctrl \\u0000\\u0001\\u001f\\u007f\"")]
    [InlineData("nl\n cr\r tab\t bs\b ff\f", "\"nl\\n cr\\r tab\\t bs\\b ff\\f\"")]
    [InlineData("é ü ñ", "\"\\u00e9 \\u00fc \\u00f1\"")]
    [InlineData("中文", "\"\\u4e2d\\u6587\"")]
    [InlineData("😀", "\"\\ud83d\\ude00\"")]
    [InlineData("Traceback (most recent call last):\n  File \"x.py\", line 1\nValueError: bad", "\"Traceback (most recent call last):\\n  File \\\"x.py\\\", line 1\\nValueError: bad\"")]
    public void StringsAreEscapedAsEnsureAscii(string value, string expected)
    {
        var sb = new StringBuilder();
        PythonJson.WriteString(sb, value);
        Assert.Equal(expected, sb.ToString());
    }

    [Fact]
    public void NestedStructuresUsePythonSeparatorsAndKeepKeyOrder()
    {
        var node = new JsonArray(
            new JsonArray(0, 0, 0),
            new JsonObject
            {
                ["a"] = 1,
                ["b"] = new JsonArray(1, 2.5, null, true, false),
                ["c"] = new JsonObject(),
            },
            new JsonObject { ["d"] = new JsonArray() });
        Assert.Equal("[[0, 0, 0], {\"a\": 1, \"b\": [1, 2.5, null, true, false], \"c\": {}}, {\"d\": []}]", PythonJson.Serialize(node));
    }

    [Fact]
    public void IntegersStayIntsAndDoublesStayFloats()
    {
        var node = new JsonObject { ["int"] = 100L, ["float"] = 100.0, ["small"] = 3, ["single"] = 0.5f, ["big"] = ulong.MaxValue };
        Assert.Equal("{\"int\": 100, \"float\": 100.0, \"small\": 3, \"single\": 0.5, \"big\": 18446744073709551615}", PythonJson.Serialize(node));
    }

    [Fact]
    public void NodesParsedBySystemTextJsonKeepIntOrFloatFromTheirText()
    {
        var node = JsonNode.Parse("{\"a\": 1.0, \"b\": 1E5, \"c\": 12345678901234567890, \"d\": -0, \"e\": \"x\u00e9\", \"f\": [true, null]}");
        Assert.Equal("{\"a\": 1.0, \"b\": 100000.0, \"c\": 12345678901234567890, \"d\": 0, \"e\": \"x\\u00e9\", \"f\": [true, null]}", PythonJson.Serialize(node));
    }

    [Fact]
    public void ConfigurationsAreWrittenInTheirOrder()
    {
        var config = new Configuration(
        [
            new("dropout_rate", 0.5999213678456241),
            new("lr", 3.617188990516118e-06),
            new("num_conv_layers", 3L),
            new("optimizer", "Adam"),
            new("use_bn", true),
        ]);
        var sb = new StringBuilder();
        PythonJson.WriteConfiguration(sb, config);
        Assert.Equal("{\"dropout_rate\": 0.5999213678456241, \"lr\": 3.617188990516118e-06, \"num_conv_layers\": 3, \"optimizer\": \"Adam\", \"use_bn\": true}", sb.ToString());
    }

    [Fact]
    public void ParserReadsPythonsNonStandardLiterals()
    {
        var node = (JsonArray)PythonJsonParser.Parse("[NaN, Infinity, -Infinity, 1e400, -0.0]")!;
        Assert.True(double.IsNaN(node[0]!.GetValue<double>()));
        Assert.Equal(double.PositiveInfinity, node[1]!.GetValue<double>());
        Assert.Equal(double.NegativeInfinity, node[2]!.GetValue<double>());
        Assert.Equal(double.PositiveInfinity, node[3]!.GetValue<double>());
        Assert.True(double.IsNegative(node[4]!.GetValue<double>()));
    }

    [Fact]
    public void ParserDistinguishesIntsFromFloats()
    {
        var node = (JsonArray)PythonJsonParser.Parse("[3, 3.0, 3e0, -7, 9223372036854775808]")!;
        Assert.Equal(3L, node[0]!.GetValue<long>());
        Assert.Equal(3.0, node[1]!.GetValue<double>());
        Assert.Equal(3.0, node[2]!.GetValue<double>());
        Assert.Equal(-7L, node[3]!.GetValue<long>());
        Assert.Equal(9223372036854775808.0, node[4]!.GetValue<double>());
    }

    [Fact]
    public void RepeatedKeysKeepTheFirstPositionAndTheLastValue()
    {
        var node = PythonJsonParser.Parse("{\"a\": 1, \"b\": 2, \"a\": 3}");
        Assert.Equal("{\"a\": 3, \"b\": 2}", PythonJson.Serialize(node));
    }

    [Fact]
    public void ParserDecodesEscapesAndSurrogatePairs()
    {
        var text = PythonJsonParser.Parse("\"\\u00e9\\ud83d\\ude00\\n\\\"\\/\"")!.GetValue<string>();
        Assert.Equal("é😀\n\"/", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1, 2")]
    [InlineData("[1 2]")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{'a': 1}")]
    [InlineData("[01]")]
    [InlineData("[1.]")]
    [InlineData("[nan]")]
    [InlineData("\"tab\tinside\"")]
    [InlineData("[1] [2]")]
    [InlineData("\"\\x41\"")]
    public void ParserRejectsInvalidJson(string text) =>
        Assert.Throws<FormatException>(() => PythonJsonParser.Parse(text));

    [Theory]
    [InlineData("configs.json")]
    [InlineData("results.json")]
    public void LinesWrittenByPythonSurviveAParseAndWriteUnchanged(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "logs", "mnist_live", file);
        foreach (var line in File.ReadAllLines(path))
        {
            Assert.Equal(line, PythonJson.Serialize(PythonJsonParser.Parse(line)));
        }
    }
}
