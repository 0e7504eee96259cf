using HpBandSter.Spaces;
using static HpBandSter.Tests.Spaces.TestSpaces;

namespace HpBandSter.Tests.Spaces;

public sealed class ForbiddenTests
{
    private static ConfigurationSpace Space(ForbiddenClause clause) => new SearchSpaceBuilder()
        .Categorical("cat", "a", "b", "c")
        .Integer("n", 0, 5, defaultValue: 3)
        .Integer("m", 0, 5, defaultValue: 2)
        .Float("x", 0, 1, defaultValue: 0.25)
        .Float("y", 0, 1, defaultValue: 0.5)
        .Ordinal("ord", "s", "m", "l")
        .Forbid(clause)
        .Build();

    private static Dictionary<string, object> With(params (string Name, object Value)[] changes)
    {
        var values = Values(("cat", "a"), ("n", 3L), ("m", 2L), ("x", 0.25), ("y", 0.5), ("ord", "s"));
        foreach (var (k, v) in changes)
        {
            values[k] = v;
        }

        return values;
    }

    public static TheoryData<ForbiddenClause, Dictionary<string, object>, bool> Cases() => new()
    {
        { ForbiddenClause.Equals("cat", "b"), With(("cat", "b")), true },
        { ForbiddenClause.Equals("cat", "b"), With(("cat", "c")), false },
        { ForbiddenClause.In("n", 4, 5), With(("n", 4L)), true },
        { ForbiddenClause.In("n", 4, 5), With(("n", 1L)), false },
        { ForbiddenClause.And(ForbiddenClause.Equals("cat", "b"), ForbiddenClause.Equals("n", 3)), With(("cat", "b"), ("n", 3L)), true },
        { ForbiddenClause.And(ForbiddenClause.Equals("cat", "b"), ForbiddenClause.Equals("n", 3)), With(("cat", "b"), ("n", 2L)), false },
        { ForbiddenClause.Or(ForbiddenClause.Equals("cat", "b"), ForbiddenClause.Equals("n", 4)), With(("n", 4L)), true },
        { ForbiddenClause.Or(ForbiddenClause.Equals("cat", "b"), ForbiddenClause.Equals("n", 4)), With(("n", 5L)), false },
        { ForbiddenClause.LessThan("x", 0.2), With(("x", 0.1)), true },
        { ForbiddenClause.LessThan("x", 0.2), With(("x", 0.2)), false },
        { ForbiddenClause.LessThanOrEqual("x", 0.2), With(("x", 0.2)), true },
        { ForbiddenClause.GreaterThan("n", 4), With(("n", 5L)), true },
        { ForbiddenClause.GreaterThan("n", 4), With(("n", 4L)), false },
        { ForbiddenClause.GreaterThanOrEqual("n", 4), With(("n", 4L)), true },
        { ForbiddenClause.GreaterThanOrEqual("ord", "m"), With(("ord", "l")), true },
        { ForbiddenClause.GreaterThanOrEqual("ord", "m"), With(("ord", "s")), false },
        { ForbiddenClause.Relation("n", ComparisonOperator.LessThan, "m"), With(("n", 3L), ("m", 4L)), true },
        { ForbiddenClause.Relation("n", ComparisonOperator.LessThan, "m"), With(("n", 4L), ("m", 4L)), false },
        { ForbiddenClause.Relation("n", ComparisonOperator.LessThanOrEqual, "m"), With(("n", 4L), ("m", 4L)), true },
        { ForbiddenClause.Relation("n", ComparisonOperator.Equal, "m"), With(("n", 4L), ("m", 4L)), true },
        { ForbiddenClause.Relation("n", ComparisonOperator.Equal, "m"), With(("n", 3L), ("m", 4L)), false },
        { ForbiddenClause.Relation("x", ComparisonOperator.GreaterThan, "y"), With(("x", 0.9), ("y", 0.3)), true },
        { ForbiddenClause.Relation("x", ComparisonOperator.GreaterThanOrEqual, "y"), With(("x", 0.3), ("y", 0.3)), true },
        { ForbiddenClause.Relation("x", ComparisonOperator.GreaterThanOrEqual, "y"), With(("x", 0.2), ("y", 0.3)), false },
        { ForbiddenClause.Relation("n", ComparisonOperator.LessThan, "y"), With(("n", 0L), ("y", 0.9)), true }, // int vs float compare as numbers
        { ForbiddenClause.Relation("cat", ComparisonOperator.Equal, "ord"), With(("cat", "a"), ("ord", "s")), false }, // text compares as text
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ClauseForbidsExactlyItsCases(ForbiddenClause clause, Dictionary<string, object> values, bool forbidden)
    {
        var space = Space(clause);

        if (forbidden)
        {
            var error = Assert.Throws<ForbiddenConfigurationException>(() => space.CreateConfiguration(values));
            Assert.Same(clause, error.Clause);
            Assert.Contains(clause.ToString(), error.Message);
        }
        else
        {
            Assert.Equal(values.Count, space.CreateConfiguration(values).Count);
        }
    }

    [Fact]
    public void ClausesOnInactiveHyperparametersDoNotApply()
    {
        var space = new SearchSpaceBuilder()
            .Categorical("opt", "adam", "sgd")
            .Float("momentum", 0, 1, defaultValue: 0.5)
            .Condition(Condition.Equals("momentum", "opt", "sgd"))
            .Float("lr", 0, 1, defaultValue: 0.5)
            .Forbid(ForbiddenClause.LessThan("momentum", 0.9))
            .Forbid(ForbiddenClause.And(ForbiddenClause.Equals("opt", "adam"), ForbiddenClause.GreaterThan("momentum", 0.0)))
            .Forbid(ForbiddenClause.Relation("momentum", ComparisonOperator.LessThan, "lr"))
            .Build();

        Assert.Equal(2, space.CreateConfiguration(Values(("opt", "adam"), ("lr", 0.1))).Count);
        Assert.Throws<ForbiddenConfigurationException>(() => space.CreateConfiguration(Values(("opt", "sgd"), ("momentum", 0.5), ("lr", 0.1))));
        Assert.Throws<ForbiddenConfigurationException>(() => space.CreateConfiguration(Values(("opt", "sgd"), ("momentum", 0.95), ("lr", 0.99))));
        Assert.Equal(3, space.CreateConfiguration(Values(("opt", "sgd"), ("momentum", 0.95), ("lr", 0.1))).Count);
    }

    [Fact]
    public void AForbiddenDefaultConfigurationIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new SearchSpaceBuilder()
            .Categorical("cat", "a", "b")
            .Forbid(ForbiddenClause.Equals("cat", "a"))
            .Build());

        Assert.Contains("default configuration", error.Message);
        Assert.Contains("Forbidden: cat == 'a'", error.Message);
    }

    public static TheoryData<ForbiddenClause, string[]> InvalidClauses() => new()
    {
        { ForbiddenClause.Equals("ghost", 1), ["unknown hyperparameter 'ghost'"] },
        { ForbiddenClause.Equals("cat", "z"), ["'z'", "legal value of 'cat'"] },
        { ForbiddenClause.In("n", 1, 7), ["7", "legal value of 'n'"] },
        { ForbiddenClause.LessThan("cat", "b"), ["numeric or ordinal", "'cat'"] },
        { ForbiddenClause.Relation("n", ComparisonOperator.Equal, "ghost"), ["unknown hyperparameter 'ghost'"] },
        { ForbiddenClause.Relation("n", ComparisonOperator.Equal, "n"), ["with itself"] },
        { ForbiddenClause.And(ForbiddenClause.Equals("cat", "b"), ForbiddenClause.Equals("ghost", 1)), ["'ghost'"] },
    };

    [Theory]
    [MemberData(nameof(InvalidClauses))]
    public void InvalidClausesAreRejectedWithAClearMessage(ForbiddenClause clause, string[] fragments)
    {
        var error = Assert.Throws<ArgumentException>(() => Space(clause));

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message);
        }
    }

    [Fact]
    public void ClausesPrintAsConfigSpaceDoes()
    {
        Assert.Equal("Forbidden: size == 'large'", ForbiddenClause.Equals("size", "large").ToString());
        Assert.Equal("Forbidden: n in {1, 2}", ForbiddenClause.In("n", 1, 2).ToString());
        Assert.Equal(
            "(Forbidden: a == 'x' && Forbidden: b >= 3)",
            ForbiddenClause.And(ForbiddenClause.Equals("a", "x"), ForbiddenClause.GreaterThanOrEqual("b", 3)).ToString());
        Assert.Equal("Forbidden: a < b", ForbiddenClause.Relation("a", ComparisonOperator.LessThan, "b").ToString());
        Assert.Throws<ArgumentException>(() => new ForbiddenComparisonClause("a", ComparisonOperator.Equal, 1));
        Assert.Throws<ArgumentException>(() => new ForbiddenRelation("a", ComparisonOperator.NotEqual, "b"));
    }
}
