using HpBandSter.Spaces;

namespace HpBandSter.Tests.Spaces;

/// <summary>Spaces shared by the space tests.</summary>
internal static class TestSpaces
{
    /// <summary>HpBandSter's MNIST example space (examples/example_5_mnist.py and its workers).</summary>
    public static ConfigurationSpace Mnist() => new SearchSpaceBuilder()
        .Float("lr", 1e-6, 1e-1, defaultValue: 1e-2, log: true)
        .Categorical("optimizer", "Adam", "SGD")
        .Float("sgd_momentum", 0.0, 0.99, defaultValue: 0.9)
        .Condition(Condition.Equals("sgd_momentum", "optimizer", "SGD"))
        .Integer("num_conv_layers", 1, 3, defaultValue: 2)
        .Integer("num_filters_1", 4, 64, defaultValue: 16, log: true)
        .Integer("num_filters_2", 4, 64, defaultValue: 16, log: true)
        .Integer("num_filters_3", 4, 64, defaultValue: 16, log: true)
        .Condition(Condition.GreaterThan("num_filters_2", "num_conv_layers", 1))
        .Condition(Condition.GreaterThan("num_filters_3", "num_conv_layers", 2))
        .Float("dropout_rate", 0.0, 0.9, defaultValue: 0.5)
        .Integer("num_fc_units", 8, 256, defaultValue: 32, log: true)
        .Build();

    /// <summary>A space with every hyperparameter type, condition kind and forbidden kind.</summary>
    public static ConfigurationSpace Everything() => new SearchSpaceBuilder()
        .Named("everything")
        .Float("f_lin", -1.0, 1.0)
        .Float("f_log", 1e-4, 1.0, log: true, defaultValue: 1e-2)
        .Float("f_q", 0.0, 1.0, q: 0.25, defaultValue: 0.5)
        .Integer("i_lin", 0, 10, q: 2, defaultValue: 4)
        .Integer("i_log", 1, 1000, log: true)
        .NormalFloat("n_free", 0.5, 2.0)
        .NormalFloat("n_bounded", 15, 2, lower: 10, upper: 20)
        .NormalInteger("ni_free", 10, 3)
        .NormalInteger("ni_bounded", 5, 2, lower: 0, upper: 10)
        .Categorical("cat", ["a", "b", "c"], weights: [1.0, 2.0, 1.0], defaultValue: "b")
        .Categorical("cat_num", 1L, 2.5, true)
        .Ordinal("ord", ["s", "m", "l"], defaultValue: "m")
        .Constant("const", "fixed")
        .Float("c_eq", 0, 1)
        .Condition(Condition.Equals("c_eq", "cat", "a"))
        .Float("c_neq", 0, 1)
        .Condition(Condition.NotEquals("c_neq", "cat", "a"))
        .Float("c_lt", 0, 1)
        .Condition(Condition.LessThan("c_lt", "i_lin", 6))
        .Float("c_gt", 0, 1)
        .Condition(Condition.GreaterThan("c_gt", "ord", "s"))
        .Float("c_in", 0, 1)
        .Condition(Condition.In("c_in", "cat", "a", "c"))
        .Float("c_and", 0, 1)
        .Condition(Condition.And(Condition.Equals("c_and", "cat", "b"), Condition.GreaterThan("c_and", "f_lin", 0.0)))
        .Float("c_or", 0, 1)
        .Condition(Condition.Or(Condition.Equals("c_or", "cat", "c"), Condition.LessThan("c_or", "c_neq", 0.5)))
        .Forbid(ForbiddenClause.Equals("ord", "l"))
        .Forbid(ForbiddenClause.In("i_log", 7L, 8L))
        .Forbid(ForbiddenClause.And(ForbiddenClause.Equals("cat", "c"), ForbiddenClause.Equals("cat_num", true)))
        .Forbid(ForbiddenClause.Or(ForbiddenClause.Equals("i_lin", 10), ForbiddenClause.Equals("cat_num", 2.5)))
        .Forbid(ForbiddenClause.LessThan("f_lin", -0.9))
        .Forbid(ForbiddenClause.LessThanOrEqual("f_log", 1e-4))
        .Forbid(ForbiddenClause.GreaterThan("n_bounded", 19.5))
        .Forbid(ForbiddenClause.GreaterThanOrEqual("ord", "l"))
        .Forbid(ForbiddenClause.Relation("c_eq", ComparisonOperator.LessThan, "f_q"))
        .Forbid(ForbiddenClause.Relation("c_in", ComparisonOperator.LessThanOrEqual, "f_lin"))
        .Forbid(ForbiddenClause.Relation("i_lin", ComparisonOperator.Equal, "ni_bounded"))
        .Forbid(ForbiddenClause.Relation("c_gt", ComparisonOperator.GreaterThan, "c_lt"))
        .Forbid(ForbiddenClause.Relation("c_and", ComparisonOperator.GreaterThanOrEqual, "c_or"))
        .Build();

    /// <summary>Builds a dictionary literal for <see cref="ConfigurationSpace.CreateConfiguration"/>.</summary>
    public static Dictionary<string, object> Values(params (string Name, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value);
}
