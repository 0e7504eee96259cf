using HpBandSter.Spaces;

namespace HpBandSter.Examples.Tests;

/// <summary>docs/quickstart.md's search spaces (examples/quickstart-sequential/SearchSpaces.cs): built in C# and read from ConfigSpace JSON.</summary>
public sealed class SearchSpaceExampleTests
{
    [Fact]
    public void The_space_built_in_code_and_the_one_read_from_configspace_json_are_the_same()
    {
        var inCode = SearchSpaces.InCode();
        var fromJson = SearchSpaces.FromJson();

        Assert.Equal(["lr", "num_layers", "optimizer", "sgd_momentum"], inCode.Hyperparameters.Select(h => h.Name).Order(StringComparer.Ordinal));
        Assert.Equal(inCode.Hyperparameters.Select(h => h.Name).Order(StringComparer.Ordinal), fromJson.Hyperparameters.Select(h => h.Name).Order(StringComparer.Ordinal));
        Assert.Equal(ConfigurationSpace.FromJson(inCode.ToJson()).ToJson(), ConfigurationSpace.FromJson(fromJson.ToJson()).ToJson());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Samples_respect_the_condition_and_the_forbidden_clause(bool fromJson)
    {
        var space = fromJson ? SearchSpaces.FromJson() : SearchSpaces.InCode();
        var rng = new RandomSource(42);
        var samples = Enumerable.Range(0, 500).Select(_ => space.Sample(rng)).ToList();

        foreach (var config in samples)
        {
            var sgd = config.GetString("optimizer") == "SGD";
            Assert.Equal(sgd, config.ContainsKey("sgd_momentum"));
            Assert.False(sgd && config.GetInt64("num_layers") == 3, $"a forbidden configuration was sampled: {config}");
            Assert.InRange(config.GetDouble("lr"), 1e-6, 1e-1);
        }

        Assert.Contains(samples, c => c.GetString("optimizer") == "SGD");
        Assert.Contains(samples, c => c.GetString("optimizer") == "Adam" && c.GetInt64("num_layers") == 3);
    }
}
