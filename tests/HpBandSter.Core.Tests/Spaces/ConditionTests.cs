using HpBandSter.Spaces;
using static HpBandSter.Tests.Spaces.TestSpaces;

namespace HpBandSter.Tests.Spaces;

public sealed class ConditionTests
{
    private static ConfigurationSpace Space(Condition condition, params Hyperparameter[] extra) =>
        new([
            new CategoricalHyperparameter("cat", ["a", "b", "c"]),
            new UniformIntegerHyperparameter("n", 1, 5),
            new OrdinalHyperparameter("ord", ["s", "m", "l"]),
            new UniformFloatHyperparameter("child", 0, 1),
            .. extra,
        ], [condition]);

    public static TheoryData<Condition, Dictionary<string, object>, bool> Cases() => new()
    {
        { Condition.Equals("child", "cat", "b"), Values(("cat", "b")), true },
        { Condition.Equals("child", "cat", "b"), Values(("cat", "a")), false },
        { Condition.NotEquals("child", "cat", "b"), Values(("cat", "a")), true },
        { Condition.NotEquals("child", "cat", "b"), Values(("cat", "b")), false },
        { Condition.LessThan("child", "n", 3), Values(("n", 2L)), true },
        { Condition.LessThan("child", "n", 3), Values(("n", 3L)), false },
        { Condition.GreaterThan("child", "n", 3), Values(("n", 4L)), true },
        { Condition.GreaterThan("child", "n", 3), Values(("n", 3L)), false },
        { Condition.GreaterThan("child", "ord", "s"), Values(("ord", "m")), true },
        { Condition.LessThan("child", "ord", "m"), Values(("ord", "l")), false },
        { Condition.In("child", "cat", "a", "c"), Values(("cat", "c")), true },
        { Condition.In("child", "cat", "a", "c"), Values(("cat", "b")), false },
        { Condition.And(Condition.Equals("child", "cat", "a"), Condition.GreaterThan("child", "n", 2)), Values(("cat", "a"), ("n", 3L)), true },
        { Condition.And(Condition.Equals("child", "cat", "a"), Condition.GreaterThan("child", "n", 2)), Values(("cat", "a"), ("n", 2L)), false },
        { Condition.Or(Condition.Equals("child", "cat", "a"), Condition.GreaterThan("child", "n", 2)), Values(("cat", "b"), ("n", 3L)), true },
        { Condition.Or(Condition.Equals("child", "cat", "a"), Condition.GreaterThan("child", "n", 2)), Values(("cat", "b"), ("n", 1L)), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConditionDecidesActivity(Condition condition, Dictionary<string, object> parents, bool active)
    {
        var space = Space(condition);
        var values = new Dictionary<string, object> { ["cat"] = "a", ["n"] = 1L, ["ord"] = "s" };
        foreach (var (k, v) in parents)
        {
            values[k] = v;
        }

        Assert.Equal(active, space.IsActive("child", values));
        var withChild = new Dictionary<string, object>(values) { ["child"] = 0.5 };
        if (active)
        {
            Assert.True(space.CreateConfiguration(withChild).ContainsKey("child"));
            Assert.Throws<ArgumentException>(() => space.CreateConfiguration(values));
        }
        else
        {
            Assert.False(space.CreateConfiguration(values).ContainsKey("child"));
            Assert.Contains("inactive", Assert.Throws<ArgumentException>(() => space.CreateConfiguration(withChild)).Message);
            Assert.False(space.Deactivate(withChild).ContainsKey("child"));
        }
    }

    [Fact]
    public void ChildOfAnInactiveParentIsInactiveEvenIfItsConditionWouldHold()
    {
        var space = new SearchSpaceBuilder()
            .Categorical("a", "x", "y")
            .Integer("b", 1, 3)
            .Condition(Condition.Equals("b", "a", "x"))
            .Float("c", 0, 1)
            .Condition(Condition.GreaterThan("c", "b", 1))
            .Build();

        var config = space.Deactivate(Values(("a", "y"), ("b", 3L), ("c", 0.5)));

        Assert.Equal(["a"], config.Keys);
        Assert.Equal(["b", "c"], space.CreateConfiguration(Values(("a", "x"), ("b", 2L), ("c", 0.5))).Keys.Skip(1));
    }

    [Fact]
    public void OrConjunctionNeedsAllParentsActive()
    {
        var space = new SearchSpaceBuilder()
            .Categorical("a", "x", "y")
            .Integer("b", 1, 3)
            .Condition(Condition.Equals("b", "a", "x"))
            .Float("c", 0, 1)
            .Condition(Condition.Or(Condition.Equals("c", "a", "y"), Condition.GreaterThan("c", "b", 1)))
            .Build();

        // a == y satisfies the first part, but b (a parent of the OR) is inactive, so c is inactive (ConfigSpace semantics).
        Assert.Equal(["a"], space.Deactivate(Values(("a", "y"), ("c", 0.5))).Keys);
        Assert.Equal(["a", "b", "c"], space.Deactivate(Values(("a", "x"), ("b", 2L), ("c", 0.5))).Keys);
    }

    [Fact]
    public void VectorOrderIsDepthThenAlphabetical()
    {
        var space = new SearchSpaceBuilder()
            .Float("z_root", 0, 1)
            .Float("a_grandchild", 0, 1)
            .Categorical("m_root", "p", "q")
            .Float("b_child", 0, 1)
            .Float("a_child", 0, 1)
            .Condition(Condition.Equals("b_child", "m_root", "p"))
            .Condition(Condition.GreaterThan("a_child", "z_root", 0.5))
            .Condition(Condition.LessThan("a_grandchild", "b_child", 0.5))
            .Build();

        Assert.Equal(["m_root", "z_root", "a_child", "b_child", "a_grandchild"], space.Hyperparameters.Select(h => h.Name));
        Assert.Equal(2, space.IndexOf("a_child"));
        Assert.Equal(-1, space.IndexOf("nope"));
        Assert.Equal(["b_child"], space.GetParents("a_grandchild"));
        Assert.Equal(["b_child"], space.GetChildren("m_root"));
        Assert.Null(space.GetCondition("m_root"));
    }

    [Fact]
    public void MnistExampleConditions()
    {
        var space = Mnist();

        Assert.Equal(
            ["dropout_rate", "lr", "num_conv_layers", "num_fc_units", "num_filters_1", "optimizer", "num_filters_2", "num_filters_3", "sgd_momentum"],
            space.Hyperparameters.Select(h => h.Name));
        Assert.Equal(
            Values(("dropout_rate", 0.5), ("lr", 0.01), ("num_conv_layers", 2L), ("num_fc_units", 32L), ("num_filters_1", 16L), ("optimizer", "Adam"), ("num_filters_2", 16L)),
            space.DefaultConfiguration.ToDictionary());
    }

    public static TheoryData<Func<ConfigurationSpace>, string[]> InvalidSpaces() => new()
    {
        {
            () => new SearchSpaceBuilder().Float("a", 0, 1).Float("b", 0, 1)
                .Condition(Condition.GreaterThan("a", "b", 0.5)).Condition(Condition.GreaterThan("b", "a", 0.5)).Build(),
            ["cycle", "a -> b -> a"]
        },
        {
            () => new SearchSpaceBuilder().Float("a", 0, 1).Float("b", 0, 1).Float("c", 0, 1)
                .Condition(Condition.GreaterThan("a", "b", 0.5)).Condition(Condition.GreaterThan("b", "c", 0.5)).Condition(Condition.LessThan("c", "a", 0.5)).Build(),
            ["cycle", "a -> b -> c -> a"]
        },
        { () => new SearchSpaceBuilder().Float("a", 0, 1).Condition(Condition.Equals("a", "ghost", 1)).Build(), ["unknown hyperparameter 'ghost'"] },
        { () => new SearchSpaceBuilder().Float("a", 0, 1).Condition(Condition.Equals("ghost", "a", 0.5)).Build(), ["unknown hyperparameter 'ghost'"] },
        { () => new SearchSpaceBuilder().Float("a", 0, 1).Condition(Condition.Equals("a", "a", 0.5)).Build(), ["'a' depend on itself"] },
        {
            () => new SearchSpaceBuilder().Float("a", 0, 1).Categorical("b", "x", "y")
                .Condition(Condition.Equals("a", "b", "x")).Condition(Condition.Equals("a", "b", "y")).Build(),
            ["'a' has two conditions", "Condition.And"]
        },
        { () => new SearchSpaceBuilder().Float("a", 0, 1).Categorical("b", "x", "y").Condition(Condition.LessThan("a", "b", "x")).Build(), ["numeric or ordinal", "'b'"] },
        { () => new SearchSpaceBuilder().Float("a", 0, 1).Categorical("b", "x", "y").Condition(Condition.Equals("a", "b", "z")).Build(), ["'z'", "legal value of 'b'"] },
        { () => new SearchSpaceBuilder().Float("a", 0, 1).Integer("b", 1, 3).Condition(Condition.In("a", "b", 1, 9)).Build(), ["9", "legal value of 'b'", "[1, 3]"] },
        { () => new SearchSpaceBuilder().Float("a", 0, 1).Float("a", 0, 2).Build(), ["'a' is defined twice"] },
    };

    [Theory]
    [MemberData(nameof(InvalidSpaces))]
    public void InvalidConditionsAreRejectedWithAClearMessage(Func<ConfigurationSpace> build, string[] fragments)
    {
        var error = Assert.Throws<ArgumentException>(build);

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message);
        }
    }

    [Fact]
    public void ConjunctionPartsMustShareTheChild()
    {
        var error = Assert.Throws<ArgumentException>(() => Condition.And(Condition.Equals("a", "p", 1), Condition.Equals("b", "p", 1)));

        Assert.Contains("same child", error.Message);
    }

    [Fact]
    public void ConditionsPrintAsConfigSpaceDoes()
    {
        Assert.Equal("m | o == 'SGD'", Condition.Equals("m", "o", "SGD").ToString());
        Assert.Equal("m | o != 1", Condition.NotEquals("m", "o", 1).ToString());
        Assert.Equal("m | o in {'a', 2.5}", Condition.In("m", "o", "a", 2.5).ToString());
        Assert.Equal("(m | o < 1 || m | p > 2.0)", Condition.Or(Condition.LessThan("m", "o", 1), Condition.GreaterThan("m", "p", 2.0)).ToString());
    }
}
