using HpBandSter.Spaces;

namespace HpBandSter.Tests.Spaces;

public sealed class HyperparameterTests
{
    [Fact]
    public void UniformFloatEncodesLinearlyAndClipsOnDecode()
    {
        var hp = new UniformFloatHyperparameter("x", 0.0, 10.0);

        Assert.Equal(5.0, hp.Default);
        Assert.Equal(0.25, hp.ToVectorValue(2.5));
        Assert.Equal(2.5, hp.FromVectorValue(0.25));
        Assert.Equal(10.0, hp.FromVectorValue(1.5));
        Assert.Equal(0.0, hp.FromVectorValue(-0.2));
        Assert.Null(hp.FromVectorValue(double.NaN));
        Assert.Equal(0.3, hp.ToVectorValue(3L)); // integers are accepted as floats
        Assert.False(hp.IsCategorical);
        Assert.Equal(0, hp.ChoiceCount);
        Assert.False(hp.IsConstant);
    }

    [Fact]
    public void LogUniformFloatEncodesTheLogarithm()
    {
        var hp = new UniformFloatHyperparameter("lr", 1e-6, 1e-1, log: true);

        Assert.Equal(0.6, hp.ToVectorValue(1e-3));
        Assert.Equal(0.0003162277660168384, (double)hp.FromVectorValue(0.5)!, 1e-18);
        Assert.Equal(Math.Exp((Math.Log(1e-6) + Math.Log(1e-1)) / 2), hp.Default); // geometric midpoint
    }

    [Fact]
    public void QuantisedFloatReproducesConfigSpacePadding()
    {
        var hp = new UniformFloatHyperparameter("dropout", 0.0, 0.9, 0.5, q: 0.1);

        // internal range widened by q/2 - 0.0001 on each side: [-0.0499, 0.9499]
        Assert.Equal(0.5500100020004002, hp.ToVectorValue(0.5));
        Assert.Equal(0.4, hp.FromVectorValue(0.5)); // 0.45 / 0.1 rounds half to even
        Assert.Equal(0.0, hp.FromVectorValue(0.0));
        Assert.Equal(0.9, hp.FromVectorValue(1.0));
        Assert.Equal(0.7000000000000001, hp.FromVectorValue(0.7148159936743647)); // 7 * 0.1, as in the fixture
    }

    [Fact]
    public void LogQuantisedFloatPadsBeforeTakingLogarithms()
    {
        var hp = new UniformFloatHyperparameter("x", 1.0, 100.0, 10.0, log: true, q: 1.0);

        Assert.Equal(0.5648639610650059, hp.ToVectorValue(10.0), 1e-15);
        Assert.Equal(1.0, hp.FromVectorValue(0.0));
        Assert.Equal(100.0, hp.FromVectorValue(1.0));
    }

    [Fact]
    public void IntegerUsesTheInnerFloatOnWidenedBounds()
    {
        var hp = new UniformIntegerHyperparameter("layers", 1, 3);

        Assert.Equal(2L, hp.Default);
        Assert.Equal(0.5, hp.ToVectorValue(2L));
        Assert.Equal(0.16666444442962952, hp.ToVectorValue(1L));
        Assert.Equal(0.8333355555703705, hp.ToVectorValue(3L));
        Assert.Equal(1L, hp.FromVectorValue(0.0));
        Assert.Equal(2L, hp.FromVectorValue(0.5));
        Assert.Equal(3L, hp.FromVectorValue(1.0));
        Assert.Equal(3L, hp.FromVectorValue(7.0)); // clipped
        Assert.Equal(0.5, hp.ToVectorValue(2.0)); // an integral float is accepted
        Assert.False(hp.IsLegal(2.5));
        Assert.False(hp.IsLegal(4L));
    }

    [Fact]
    public void IntegerDefaultRoundsHalfToEven()
    {
        Assert.Equal(2L, new UniformIntegerHyperparameter("a", 1, 4).Default); // 2.5 -> 2
        Assert.Equal(4L, new UniformIntegerHyperparameter("b", 1, 6).Default); // 3.5 -> 4
        Assert.Equal(10L, new UniformIntegerHyperparameter("c", 1, 100, log: true).Default);
    }

    [Fact]
    public void LogIntegerMatchesConfigSpace()
    {
        var units = new UniformIntegerHyperparameter("units", 8, 256, 32, log: true);

        Assert.Equal(0.41074162830728705, units.ToVectorValue(32L), 1e-15);
        Assert.Equal(44L, units.FromVectorValue(0.5));
        Assert.Equal(8L, units.FromVectorValue(0.0));
        Assert.Equal(256L, units.FromVectorValue(0.999));
    }

    [Fact]
    public void QuantisedIntegerPadsTheInnerFloatToo()
    {
        var hp = new UniformIntegerHyperparameter("i", 0, 10, 4, q: 2);

        // inner float [-0.49999, 10.49999] widened by q/2 - 0.0001 = 0.9999: [-1.49989, 11.49989]
        Assert.Equal(0.4230756212797447, hp.ToVectorValue(4L), 1e-15);
        Assert.Equal(6L, hp.FromVectorValue(0.5)); // 0.5 * 12.99978 - 1.49989 = 5.000000000000001; / 2 rounds up to 3
        Assert.Equal(4L, hp.FromVectorValue(hp.ToVectorValue(4L)));
        Assert.Equal(0L, hp.FromVectorValue(0.0));
        Assert.Equal(10L, hp.FromVectorValue(1.0));
    }

    [Fact]
    public void NormalFloatWithoutBoundsEncodesTheRawValue()
    {
        var hp = new NormalFloatHyperparameter("wd", -4.0, 1.0);
        var logHp = new NormalFloatHyperparameter("w", 2.0, 0.5, log: true);

        Assert.Equal(-4.0, hp.Default);
        Assert.Equal(-2.5, hp.ToVectorValue(-2.5));
        Assert.Equal(0.5, hp.FromVectorValue(0.5));
        Assert.Equal(Math.Exp(2.0), logHp.Default);
        Assert.Equal(2.0, logHp.ToVectorValue(Math.Exp(2.0)), 15);
        Assert.Equal(Math.Exp(1.0), logHp.FromVectorValue(1.0));
        Assert.False(logHp.IsLegal(0.0));
    }

    [Fact]
    public void NormalFloatWithBoundsIsNormalised()
    {
        var hp = new NormalFloatHyperparameter("d", 15, 2, lower: 10, upper: 20);
        var clipped = new NormalFloatHyperparameter("e", 0, 1, lower: 1, upper: 2);

        Assert.Equal(15.0, hp.Default);
        Assert.Equal(0.5, hp.ToVectorValue(15.0));
        Assert.Equal(12.5, hp.FromVectorValue(0.25));
        Assert.Equal(20.0, hp.FromVectorValue(3.0));
        Assert.Equal(1.0, clipped.Default); // mu clipped to the bounds
        Assert.False(hp.IsLegal(9.0));
    }

    [Fact]
    public void NormalIntegerEncodesRawWithoutBoundsAndNormalisedWithBounds()
    {
        var free = new NormalIntegerHyperparameter("n", 10, 3);
        var bounded = new NormalIntegerHyperparameter("m", 5, 2, lower: 0, upper: 10);

        Assert.Equal(10L, free.Default);
        Assert.Equal(7.0, free.ToVectorValue(7L));
        Assert.Equal(8L, free.FromVectorValue(7.6));
        Assert.Equal(5L, bounded.Default);
        Assert.Equal(0.5, bounded.ToVectorValue(5L), 15);
        Assert.Equal(5L, bounded.FromVectorValue(0.5));
        Assert.Equal(10L, bounded.FromVectorValue(2.0));
    }

    [Fact]
    public void CategoricalEncodesTheIndexAndRejectsNonIndices()
    {
        var hp = new CategoricalHyperparameter("opt", ["adam", "sgd", "rmsprop"], weights: [5, 3, 2]);

        Assert.True(hp.IsCategorical);
        Assert.Equal(3, hp.ChoiceCount);
        Assert.Equal("adam", hp.DefaultValue);
        Assert.Equal([0.5, 0.3, 0.2], hp.Probabilities);
        Assert.Equal(2.0, hp.ToVectorValue("rmsprop"));
        Assert.Equal("sgd", hp.FromVectorValue(1.0));
        Assert.Null(hp.FromVectorValue(0.5));
        Assert.Null(hp.FromVectorValue(3.0));
        Assert.Null(hp.FromVectorValue(-1.0));
        Assert.Null(hp.FromVectorValue(double.NaN));
        Assert.Throws<ArgumentException>(() => hp.ToVectorValue("adagrad"));
    }

    [Fact]
    public void CategoricalChoicesKeepTheirTypes()
    {
        var hp = new CategoricalHyperparameter("c", [1, 2.5, true, "x"]);

        Assert.Equal([1L, 2.5, true, "x"], hp.Choices);
        Assert.Equal(0.0, hp.ToVectorValue(1.0)); // 1.0 == 1 as in Python
        Assert.Equal(2.0, hp.ToVectorValue(true));
        Assert.False(hp.IsLegal("1"));
    }

    [Fact]
    public void OrdinalEncodesThePosition()
    {
        var hp = new OrdinalHyperparameter("size", ["small", "medium", "large"], "medium");

        Assert.True(hp.IsCategorical);
        Assert.Equal(3, hp.ChoiceCount);
        Assert.Equal(1.0, hp.ToVectorValue("medium"));
        Assert.Equal("large", hp.FromVectorValue(2.0));
        Assert.Null(hp.FromVectorValue(0.999));
        Assert.Equal("small", new OrdinalHyperparameter("s", ["small", "large"]).DefaultValue);
    }

    [Fact]
    public void ConstantEncodesZeroAndDecodesAnyFiniteEntry()
    {
        var hp = new ConstantHyperparameter("seed", 7);

        Assert.True(hp.IsConstant);
        Assert.False(hp.IsCategorical);
        Assert.Equal(7L, hp.Value);
        Assert.Equal(0.0, hp.ToVectorValue(7));
        Assert.Equal(7L, hp.FromVectorValue(0.5));
        Assert.Null(hp.FromVectorValue(double.NaN));
        Assert.False(hp.IsLegal(8));
    }

    public static TheoryData<Func<Hyperparameter>, string[]> InvalidDefinitions() => new()
    {
        { () => new UniformFloatHyperparameter("x", 1, 1), ["'x'", "lower bound"] },
        { () => new UniformFloatHyperparameter("x", 2, 1), ["'x'", "smaller"] },
        { () => new UniformFloatHyperparameter("x", 0, 1, log: true), ["'x'", "log scale", "positive"] },
        { () => new UniformFloatHyperparameter("x", 0, 1, 2.0), ["'x'", "default value 2.0", "outside"] },
        { () => new UniformFloatHyperparameter("x", 0, 1, q: 0.3), ["'x'", "multiple of q"] },
        { () => new UniformFloatHyperparameter("x", 0, 1, q: -1), ["'x'", "q"] },
        { () => new UniformFloatHyperparameter("x", 0, double.PositiveInfinity), ["'x'", "finite"] },
        { () => new UniformFloatHyperparameter("x", 0.1, 1.1, log: true, q: 0.5), ["'x'", "log scale", "q"] },
        { () => new UniformIntegerHyperparameter("i", 0, 5, log: true), ["'i'", "positive"] },
        { () => new UniformIntegerHyperparameter("i", 0, 5, 9), ["'i'", "default value 9"] },
        { () => new UniformIntegerHyperparameter("i", 0, 5, q: 2), ["'i'", "multiple of q"] },
        { () => new UniformIntegerHyperparameter("i", 0, 4, q: 0), ["'i'", "at least 1"] },
        { () => new NormalFloatHyperparameter("n", 0, 0), ["'n'", "sigma"] },
        { () => new NormalFloatHyperparameter("n", 0, 1, lower: 0), ["'n'", "both bounds"] },
        { () => new NormalFloatHyperparameter("n", 0, 1, lower: 0, upper: 1, defaultValue: 3), ["'n'", "default value 3.0"] },
        { () => new NormalIntegerHyperparameter("n", 0, 1, lower: 3, upper: 1), ["'n'", "lower bound 3"] },
        { () => new CategoricalHyperparameter("c", ["a", "a"]), ["'c'", "'a'", "more than once"] },
        { () => new CategoricalHyperparameter("c", []), ["'c'", "at least one"] },
        { () => new CategoricalHyperparameter("c", ["a", "b"], "z"), ["'c'", "'z'", "not one of"] },
        { () => new CategoricalHyperparameter("c", ["a", "b"], weights: [1]), ["'c'", "2 choices but 1 weights"] },
        { () => new CategoricalHyperparameter("c", ["a", "b"], weights: [1, -1]), ["'c'", "non-negative"] },
        { () => new CategoricalHyperparameter("c", ["a", "b"], weights: [0, 0]), ["'c'", "at least one weight"] },
        { () => new CategoricalHyperparameter("c", ["a", null!]), ["'c'", "null"] },
        { () => new OrdinalHyperparameter("o", ["s", "m", "s"]), ["'o'", "'s'", "more than once"] },
        { () => new ConstantHyperparameter("k", new object()), ["'k'", "type Object"] },
        { () => new UniformFloatHyperparameter(" ", 0, 1), ["non-empty name"] },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public void InvalidDefinitionsFailWithAMessageNamingTheHyperparameter(Func<Hyperparameter> create, string[] fragments)
    {
        var error = Assert.Throws<ArgumentException>(create);

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message);
        }
    }

    [Fact]
    public void ZeroWeightChoicesAreNeverSampledButStayLegal()
    {
        var hp = new CategoricalHyperparameter("c", ["a", "b", "c"], weights: [1, 0, 1]);
        var space = new ConfigurationSpace([hp]);
        var rng = new RandomSource(3);

        Assert.True(hp.IsLegal("b"));
        Assert.DoesNotContain("b", Enumerable.Range(0, 2000).Select(_ => space.Sample(rng)["c"]));
    }
}
