using System.Text.Json;
using HpBandSter.Spaces;
using static HpBandSter.Tests.Spaces.TestSpaces;

namespace HpBandSter.Tests.Spaces;

public sealed class ConfigSpaceJsonTests
{
    private static void AssertSameSpace(ConfigurationSpace expected, ConfigurationSpace actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Hyperparameters.Select(h => h.ToString()), actual.Hyperparameters.Select(h => h.ToString()));
        Assert.Equal(expected.Hyperparameters.Select(h => h.GetType()), actual.Hyperparameters.Select(h => h.GetType()));
        Assert.Equal(expected.Conditions.Select(c => c.ToString()), actual.Conditions.Select(c => c.ToString()));
        Assert.Equal(expected.Conditions.Select(c => c.GetType()), actual.Conditions.Select(c => c.GetType()));
        Assert.Equal(expected.Forbiddens.Select(f => f.ToString()), actual.Forbiddens.Select(f => f.ToString()));
        Assert.Equal(expected.Forbiddens.Select(f => f.GetType()), actual.Forbiddens.Select(f => f.GetType()));
        Assert.Equal(expected.DefaultConfiguration, actual.DefaultConfiguration);
        var a = new RandomSource(7);
        var b = new RandomSource(7);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(expected.Sample(a), actual.Sample(b));
        }
    }

    [Fact]
    public void MnistSpaceRoundTrips()
    {
        var space = Mnist();

        var json = space.ToJson();
        var back = ConfigurationSpace.FromJson(json);

        AssertSameSpace(space, back);
        Assert.Equal(json, back.ToJson());
    }

    [Fact]
    public void EveryTypeConditionAndForbiddenRoundTrips()
    {
        var space = Everything();

        var json = ConfigSpaceJson.Write(space, indented: false);
        var back = ConfigSpaceJson.Read(json);

        AssertSameSpace(space, back);
        Assert.Equal(json, ConfigSpaceJson.Write(back, indented: false));
        Assert.Equal(2.5, Assert.IsType<CategoricalHyperparameter>(back["cat_num"]).Choices[1]);
        Assert.Equal(1L, Assert.IsType<CategoricalHyperparameter>(back["cat_num"]).Choices[0]);
    }

    [Fact]
    public void FixtureSpaceWithQRoundTrips()
    {
        var space = ConfigSpace0421FixtureTests.FixtureSpace();

        var back = ConfigurationSpace.FromJson(space.ToJson());

        AssertSameSpace(space, back);
        Assert.Equal(0.1, Assert.IsType<UniformFloatHyperparameter>(back["dropout"]).Q);
    }

    [Fact]
    public void WritesTheConfigSpace1Layout()
    {
        using var document = JsonDocument.Parse(Mnist().ToJson());
        var root = document.RootElement;

        Assert.Equal(["name", "hyperparameters", "conditions", "forbiddens", "python_module_version", "format_version"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1.2.0", root.GetProperty("python_module_version").GetString());
        Assert.Equal("0.4", root.GetProperty("format_version").GetRawText());
        var lr = root.GetProperty("hyperparameters").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "lr");
        Assert.Equal(
            """{"type":"uniform_float","name":"lr","lower":1E-06,"upper":0.1,"default_value":0.01,"log":true,"meta":null}""",
            JsonSerializer.Serialize(lr));
        var optimizer = root.GetProperty("hyperparameters").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "optimizer");
        Assert.Equal(
            """{"type":"categorical","name":"optimizer","choices":["Adam","SGD"],"weights":null,"default_value":"Adam","meta":null}""",
            JsonSerializer.Serialize(optimizer));
        Assert.Equal(
            """{"type":"GT","child":"num_filters_2","parent":"num_conv_layers","value":1}""",
            JsonSerializer.Serialize(root.GetProperty("conditions")[0]));
    }

    [Fact]
    public void ReadsFormat02WithProbabilitiesAndDefault()
    {
        const string json = """
            {
              "hyperparameters": [
                {"name": "a", "type": "uniform_float", "log": false, "lower": 0.0, "upper": 1.0, "default": 0.25, "q": 0.25},
                {"name": "b", "type": "uniform_int", "log": true, "lower": 1, "upper": 100, "default": 10},
                {"name": "c", "type": "categorical", "choices": ["x", "y"], "default": "y", "probabilities": [0.25, 0.75]},
                {"name": "d", "type": "normal_float", "log": false, "mu": 1.0, "sigma": 2.0, "default": 1.5},
                {"name": "e", "type": "unparametrized", "value": "fixed"},
                {"name": "f", "type": "ordinal", "sequence": [1, 2, 4], "default": 2}
              ],
              "conditions": [{"child": "d", "parent": "c", "type": "NEQ", "value": "x"}],
              "forbiddens": [{"name": "b", "type": "AND", "clauses": [{"name": "b", "type": "EQUALS", "value": 3}, {"name": "c", "type": "IN", "values": ["y"]}]}],
              "python_module_version": "0.4.11",
              "json_format_version": 0.2
            }
            """;

        var space = ConfigurationSpace.FromJson(json);

        Assert.Equal(0.25, Assert.IsType<UniformFloatHyperparameter>(space["a"]).Q);
        Assert.Equal(0.25, space["a"].DefaultValue);
        Assert.Equal([0.25, 0.75], Assert.IsType<CategoricalHyperparameter>(space["c"]).Probabilities);
        Assert.Equal("y", space["c"].DefaultValue);
        Assert.Equal(1.5, space["d"].DefaultValue);
        Assert.Equal("fixed", Assert.IsType<ConstantHyperparameter>(space["e"]).Value);
        Assert.Equal(2L, space["f"].DefaultValue);
        Assert.Equal("d | c != 'x'", space.Conditions.Single().ToString());
        Assert.Equal("(Forbidden: b == 3 && Forbidden: c in {'y'})", space.Forbiddens.Single().ToString());
    }

    [Fact]
    public void ReadsFormat04WithWeightsAndRelations()
    {
        const string json = """
            {
              "name": "zero-point-four",
              "hyperparameters": [
                {"name": "a", "type": "uniform_int", "log": false, "lower": 0, "upper": 10, "default": 5, "q": null},
                {"name": "b", "type": "uniform_int", "log": false, "lower": 0, "upper": 10, "default": 4},
                {"name": "c", "type": "categorical", "choices": ["x", "y", "z"], "default": "x", "weights": [1, 2, 3], "meta": {"note": "ignored"}}
              ],
              "conditions": [
                {"child": "b", "type": "OR", "conditions": [
                  {"child": "b", "parent": "c", "type": "EQ", "value": "x"},
                  {"child": "b", "parent": "a", "type": "LT", "value": 3}
                ]}
              ],
              "forbiddens": [
                {"left": "a", "right": "b", "type": "RELATION", "lambda": "LESS"},
                {"left": "a", "right": "b", "type": "RELATION", "lambda": "EQUALS"},
                {"left": "b", "right": "a", "type": "RELATION", "lambda": "GREATER"}
              ],
              "python_module_version": "0.6.1",
              "json_format_version": 0.4
            }
            """;

        var space = ConfigurationSpace.FromJson(json);

        Assert.Equal("zero-point-four", space.Name);
        Assert.Equal([1.0, 2.0, 3.0], Assert.IsType<CategoricalHyperparameter>(space["c"]).Weights!);
        Assert.IsType<OrConjunction>(space.GetCondition("b"));
        Assert.Equal(["Forbidden: a < b", "Forbidden: a == b", "Forbidden: b > a"], space.Forbiddens.Select(f => f.ToString()));
        Assert.Throws<ForbiddenConfigurationException>(() => space.CreateConfiguration(Values(("a", 2L), ("b", 7L), ("c", "x"))));
    }

    [Fact]
    public void ReadsConfigSpace1Format()
    {
        const string json = """
            {
              "name": null,
              "hyperparameters": [
                {"type": "uniform_float", "name": "lr", "lower": 1e-06, "upper": 0.1, "default_value": 0.01, "log": true, "meta": null},
                {"type": "uniform_int", "name": "n", "lower": 1, "upper": 3, "default_value": 2, "log": false, "meta": null},
                {"type": "categorical", "name": "optimizer", "choices": ["Adam", "SGD"], "weights": null, "default_value": "Adam", "meta": null},
                {"type": "ordinal", "name": "e", "sequence": ["s", "m", "l"], "default_value": "s", "meta": null},
                {"type": "constant", "name": "c", "value": 1, "meta": null},
                {"type": "normal_float", "name": "d", "mu": 15, "sigma": 2, "lower": 10, "upper": 20, "default_value": 15, "log": false, "meta": null},
                {"type": "normal_int", "name": "k", "mu": 5, "sigma": 2, "lower": 0, "upper": 10, "default_value": 5, "log": false, "meta": null}
              ],
              "conditions": [
                {"type": "IN", "child": "k", "parent": "e", "values": ["m", "l"]},
                {"type": "AND", "child": "d", "conditions": [
                  {"type": "EQ", "child": "d", "parent": "optimizer", "value": "SGD"},
                  {"type": "GT", "child": "d", "parent": "n", "value": 1}
                ]}
              ],
              "forbiddens": [
                {"type": "OR", "clauses": [{"type": "EQUALS", "name": "e", "value": "l"}, {"type": "CLAUSE_LT", "name": "lr", "value": 1e-05}]},
                {"type": "RELATION_GT", "left": "c", "right": "n"},
                {"type": "RELATION_LT", "left": "k", "right": "n"}
              ],
              "python_module_version": "1.2.0",
              "format_version": 0.4
            }
            """;

        var space = ConfigurationSpace.FromJson(json);

        Assert.Null(space.Name);
        Assert.True(Assert.IsType<NormalFloatHyperparameter>(space["d"]).IsBounded);
        Assert.Equal(0.8, space.ToVector(space.CreateConfiguration(Values(("lr", 0.01), ("n", 1L), ("optimizer", "Adam"), ("e", "s"), ("c", 1L))))[space.IndexOf("lr")], 12);
        Assert.Equal(["d", "k"], space.Conditions.Select(c => c.Child));
        Assert.Equal("(Forbidden: e == 'l' || Forbidden: lr < 1E-05)", space.Forbiddens[0].ToString());
        AssertSameSpace(space, ConfigurationSpace.FromJson(space.ToJson()));
    }

    public static TheoryData<string, string[]> BadTexts() => new()
    {
        { "{", ["not valid JSON"] },
        { "[]", ["must be an object"] },
        { """{"conditions": []}""", ["no \"hyperparameters\""] },
        { """{"hyperparameters": [{"type": "uniform_float", "lower": 0, "upper": 1}]}""", ["hyperparameter #0", "\"name\""] },
        { """{"hyperparameters": [{"name": "lr", "lower": 0, "upper": 1}]}""", ["'lr'", "\"type\""] },
        { """{"hyperparameters": [{"name": "lr", "type": "gaussian"}]}""", ["'lr'", "unknown type 'gaussian'", "uniform_float"] },
        { """{"hyperparameters": [{"name": "lr", "type": "uniform_float", "lower": 0}]}""", ["'lr'", "\"upper\""] },
        { """{"hyperparameters": [{"name": "lr", "type": "uniform_float", "lower": "0", "upper": 1}]}""", ["'lr'", "\"lower\"", "not a finite number"] },
        { """{"hyperparameters": [{"name": "n", "type": "uniform_int", "lower": 0.5, "upper": 3}]}""", ["'n'", "\"lower\"", "not an integer"] },
        { """{"hyperparameters": [{"name": "b", "type": "beta_float", "alpha": 1, "beta": 1, "lower": 0, "upper": 1}]}""", ["'b'", "beta"] },
        { """{"hyperparameters": [{"name": "c", "type": "categorical", "choices": ["a", null]}]}""", ["'c'", "None"] },
        { """{"hyperparameters": [{"name": "c", "type": "categorical"}]}""", ["'c'", "\"choices\""] },
        { """{"hyperparameters": [{"name": "k", "type": "constant"}]}""", ["'k'", "\"value\""] },
        { """{"hyperparameters": [{"name": "x", "type": "uniform_float", "lower": 0, "upper": 1, "log": "yes"}]}""", ["'x'", "\"log\""] },
        { """{"hyperparameters": [{"name": "x", "type": "uniform_float", "lower": 1, "upper": 0}]}""", ["'x'", "smaller"] },
        { """{"hyperparameters": [{"name": "x", "type": "uniform_float", "lower": 0, "upper": 1}], "conditions": [{"type": "XOR", "child": "x"}]}""", ["condition #0", "'x'", "unknown type 'XOR'"] },
        { """{"hyperparameters": [{"name": "x", "type": "uniform_float", "lower": 0, "upper": 1}], "conditions": [{"type": "EQ", "child": "x", "value": 1}]}""", ["condition #0", "\"parent\""] },
        { """{"hyperparameters": [{"name": "x", "type": "uniform_float", "lower": 0, "upper": 1}], "forbiddens": [{"type": "NOPE"}]}""", ["forbidden clause #0", "NOPE"] },
        { """{"hyperparameters": [{"name": "x", "type": "uniform_float", "lower": 0, "upper": 1}], "forbiddens": [{"type": "RELATION", "left": "x", "right": "x", "lambda": "SIDEWAYS"}]}""", ["unknown relation 'SIDEWAYS'"] },
        { """{"hyperparameters": [{"name": "x", "type": "uniform_float", "lower": 0, "upper": 1}], "forbiddens": [{"type": "EQUALS", "name": "y", "value": 1}]}""", ["unknown hyperparameter 'y'"] },
    };

    [Theory]
    [MemberData(nameof(BadTexts))]
    public void BadJsonFailsWithAMessageNamingTheItem(string json, string[] fragments)
    {
        var error = Assert.Throws<ArgumentException>(() => ConfigurationSpace.FromJson(json));

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message);
        }
    }
}
