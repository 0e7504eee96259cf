using HpBandSter.Spaces;
using static HpBandSter.Tests.Spaces.TestSpaces;

namespace HpBandSter.Tests.Spaces;

public sealed class ConfigurationSpaceTests
{
    private static Dictionary<string, object> MnistValues(params (string Name, object Value)[] changes)
    {
        var values = Values(("lr", 0.001), ("optimizer", "SGD"), ("sgd_momentum", 0.5), ("num_conv_layers", 1L), ("num_filters_1", 8L), ("dropout_rate", 0.1), ("num_fc_units", 64L));
        foreach (var (k, v) in changes)
        {
            values[k] = v;
        }

        return values;
    }

    [Fact]
    public void PublicSurfaceForTheRestOfCore()
    {
        var space = Mnist();

        Assert.Equal(9, space.Count);
        Assert.Same(space.Hyperparameters[space.IndexOf("optimizer")], space["optimizer"]);
        Assert.True(space["optimizer"].IsCategorical);
        Assert.Equal(2, space["optimizer"].ChoiceCount);
        Assert.Equal(3, space.Conditions.Count);
        Assert.Empty(space.Forbiddens);
        Assert.Contains("'nope'", Assert.Throws<KeyNotFoundException>(() => space["nope"]).Message);
        Assert.True(space.Contains("lr"));
    }

    [Fact]
    public void CreateConfigurationNormalisesTypesAndOrdersByVector()
    {
        var space = Mnist();

        var config = space.CreateConfiguration(MnistValues(("dropout_rate", 0L), ("num_conv_layers", 2.0), ("num_filters_2", 9)));

        Assert.Equal(0.0, Assert.IsType<double>(config["dropout_rate"]));
        Assert.Equal(2L, Assert.IsType<long>(config["num_conv_layers"]));
        Assert.Equal(9L, config["num_filters_2"]);
        Assert.Equal(["dropout_rate", "lr", "num_conv_layers", "num_fc_units", "num_filters_1", "optimizer", "num_filters_2", "sgd_momentum"], config.Keys);
    }

    public static TheoryData<Dictionary<string, object>, string[]> InvalidValues() => new()
    {
        { MnistValues(("learning_rate", 0.1)), ["'learning_rate' is not a hyperparameter", "lr"] },
        { MnistValues(("lr", 0.5)), ["0.5", "'lr'", "[1E-06, 0.1]"] },
        { MnistValues(("lr", "fast")), ["'fast'", "'lr'", "String"] },
        { MnistValues(("num_conv_layers", 1.5)), ["1.5", "'num_conv_layers'", "integer in [1, 3]"] },
        { MnistValues(("optimizer", "RMSprop")), ["'RMSprop'", "'optimizer'", "{'Adam', 'SGD'}"] },
        { MnistValues(("num_filters_2", 8L)), ["'num_filters_2' is inactive", "num_conv_layers > 1", "Deactivate"] },
        { MnistValues(("num_conv_layers", 3L)), ["'num_filters_2' is active", "has no value"] },
        { MnistValues(("optimizer", "Adam")), ["'sgd_momentum' is inactive"] },
        { Values(("lr", 0.1)), ["'dropout_rate' is unconditional", "no value"] },
        { MnistValues(("lr", null!)), ["None", "'lr'"] },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void CreateConfigurationSaysWhatIsWrong(Dictionary<string, object> values, string[] fragments)
    {
        var error = Assert.Throws<ArgumentException>(() => Mnist().CreateConfiguration(values));

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message);
        }
    }

    [Fact]
    public void DeactivateDropsInactiveValuesButStillValidates()
    {
        var space = Mnist();

        var config = space.Deactivate(MnistValues(("optimizer", "Adam"), ("num_filters_2", 8L), ("num_filters_3", 8L)));

        Assert.False(config.ContainsKey("sgd_momentum"));
        Assert.False(config.ContainsKey("num_filters_2"));
        Assert.Equal(6, config.Count);
        Assert.Throws<ArgumentException>(() => space.Deactivate(MnistValues(("num_conv_layers", 2L))));
        Assert.Throws<ArgumentException>(() => space.Deactivate(MnistValues(("ghost", 1))));
    }

    [Fact]
    public void ValidateChecksAnExistingConfiguration()
    {
        var space = Mnist();

        space.Validate(space.DefaultConfiguration);
        space.Validate(new Configuration(MnistValues()));
        Assert.Throws<ArgumentException>(() => space.Validate(new Configuration(MnistValues(("optimizer", "Adam")))));
    }

    [Fact]
    public void ToVectorPutsNaNForInactiveAndRejectsUnknownNames()
    {
        var space = Mnist();
        var config = space.CreateConfiguration(MnistValues());

        var vector = space.ToVector(config);

        Assert.Equal(9, vector.Length);
        Assert.True(double.IsNaN(vector[space.IndexOf("num_filters_2")]));
        Assert.True(double.IsNaN(vector[space.IndexOf("num_filters_3")]));
        Assert.Equal(1.0, vector[space.IndexOf("optimizer")]);
        Assert.Equal(0.5 / 0.99, vector[space.IndexOf("sgd_momentum")], 15);
        Assert.Equal(0.6, vector[space.IndexOf("lr")], 15);
        Assert.Contains("'ghost'", Assert.Throws<ArgumentException>(() => space.ToVector(new Configuration(MnistValues(("ghost", 1L))))).Message);
        Assert.Throws<ArgumentException>(() => space.ToVector(config, new double[3]));
    }

    [Fact]
    public void FromVectorDropsInactiveEntriesWhateverTheyHold()
    {
        var space = Mnist();
        var vector = new double[space.Count];
        vector[space.IndexOf("dropout_rate")] = 0.5;
        vector[space.IndexOf("lr")] = 0.6;
        vector[space.IndexOf("num_conv_layers")] = 0.1; // -> 1, so num_filters_2 and _3 are inactive
        vector[space.IndexOf("num_fc_units")] = 0.0;
        vector[space.IndexOf("num_filters_1")] = 1.0;
        vector[space.IndexOf("optimizer")] = 0.0; // Adam, so sgd_momentum is inactive
        vector[space.IndexOf("num_filters_2")] = 0.3;
        vector[space.IndexOf("num_filters_3")] = double.NaN;
        vector[space.IndexOf("sgd_momentum")] = 7.5;

        var config = space.FromVector(vector);

        Assert.Equal(Values(("dropout_rate", 0.45), ("lr", 0.001), ("num_conv_layers", 1L), ("num_fc_units", 8L), ("num_filters_1", 64L), ("optimizer", "Adam")).Keys, config.Keys);
        Assert.Equal(0.001, config.GetDouble("lr"), 1e-15);
        Assert.Equal(64L, config["num_filters_1"]);
    }

    [Fact]
    public void FromVectorRejectsUndecodableActiveEntries()
    {
        var space = Mnist();
        var vector = space.ToVector(space.DefaultConfiguration);

        Assert.Throws<ArgumentException>(() => space.FromVector(vector.AsSpan(1)));
        vector[space.IndexOf("optimizer")] = 0.4;
        Assert.Contains("'optimizer'", Assert.Throws<ArgumentException>(() => space.FromVector(vector)).Message);
        vector[space.IndexOf("optimizer")] = 0;
        vector[space.IndexOf("lr")] = double.NaN;
        Assert.Contains("'lr'", Assert.Throws<ArgumentException>(() => space.FromVector(vector)).Message);
    }

    [Fact]
    public void FromVectorThrowsTheForbiddenExceptionForForbiddenConfigurations()
    {
        var space = ConfigSpace0421FixtureTests.FixtureSpace();
        var vector = space.ToVector(space.DefaultConfiguration);
        vector[space.IndexOf("size")] = 2; // large

        var error = Assert.Throws<ForbiddenConfigurationException>(() => space.FromVector(vector));

        Assert.Equal("large", error.Configuration["size"]);
        Assert.Equal("Forbidden: size == 'large'", error.Clause.ToString());
    }

    [Fact]
    public void VectorRoundTripOnSampledConfigurations()
    {
        foreach (var space in new[] { Mnist(), Everything(), ConfigSpace0421FixtureTests.FixtureSpace() })
        {
            var rng = new RandomSource(17);
            for (var i = 0; i < 300; i++)
            {
                var config = space.Sample(rng);
                var back = space.FromVector(space.ToVector(config));

                Assert.Equal(config.Keys, back.Keys);
                foreach (var (name, value) in config)
                {
                    if (value is double d)
                    {
                        Assert.True(Math.Abs(d - back.GetDouble(name)) <= 1e-12 * Math.Max(1, Math.Abs(d)), $"{name}: {d:R} came back as {back[name]}");
                    }
                    else
                    {
                        Assert.Equal(value, back[name]);
                    }
                }
            }
        }
    }

    [Fact]
    public void IsActiveReadsTheParentsValues()
    {
        var space = Mnist();

        Assert.True(space.IsActive("lr", Values()));
        Assert.True(space.IsActive("sgd_momentum", Values(("optimizer", "SGD"))));
        Assert.False(space.IsActive("sgd_momentum", Values(("optimizer", "Adam"))));
        Assert.False(space.IsActive("sgd_momentum", Values()));
        Assert.True(space.IsActive("num_filters_3", Values(("num_conv_layers", 3L))));
    }

    [Fact]
    public void BuilderReadsAsInTheBrief()
    {
        var space = new SearchSpaceBuilder()
            .Float("lr", 1e-6, 1e-1, log: true)
            .Categorical("optimizer", "Adam", "SGD")
            .Float("sgd_momentum", 0, 0.99, defaultValue: 0.9)
            .Condition(Condition.Equals("sgd_momentum", "optimizer", "SGD"))
            .Integer("layers", 1, 3)
            .Forbid(ForbiddenClause.And(ForbiddenClause.Equals("optimizer", "SGD"), ForbiddenClause.Equals("layers", 3)))
            .Build();

        Assert.Equal(["layers", "lr", "optimizer", "sgd_momentum"], space.Hyperparameters.Select(h => h.Name));
        Assert.Equal(2L, space.DefaultConfiguration["layers"]);
        Assert.Contains("sgd_momentum | optimizer == 'SGD'", space.ToString());
    }
}
