using HpBandSter.Spaces;

namespace HpBandSter.Examples;

/// <summary>
/// Search spaces for docs/quickstart.md, beyond MyWorker's one float: every kind of hyperparameter a typical model
/// needs, a condition and a forbidden clause, built in C# or read from ConfigSpace JSON (the tests build and sample both).
/// </summary>
internal static class SearchSpaces
{
    /// <summary>
    /// HpBandSter's PyTorch/Keras example space, in C#: a log-scale learning rate, an integer number of layers,
    /// a categorical optimizer, SGD's momentum only when the optimizer is SGD (a condition), and no SGD with three
    /// layers (a forbidden clause).
    /// </summary>
    public static ConfigurationSpace InCode() => new SearchSpaceBuilder()
        .Float("lr", 1e-6, 1e-1, log: true, defaultValue: 1e-2)                  // float, log scale
        .Integer("num_layers", 1, 3, defaultValue: 2)                            // integer
        .Categorical("optimizer", "Adam", "SGD")                                 // categorical (default: the first)
        .Float("sgd_momentum", 0.0, 0.99, defaultValue: 0.9)
        .Condition(Condition.Equals("sgd_momentum", "optimizer", "SGD"))         // active only when optimizer == SGD
        .Forbid(ForbiddenClause.And(                                             // never SGD with three layers
            ForbiddenClause.Equals("optimizer", "SGD"),
            ForbiddenClause.Equals("num_layers", 3L)))
        .Build();

    /// <summary>The same space as ConfigSpace writes it (<c>ConfigSpace.read_and_write.json.write(cs)</c>).</summary>
    public const string ConfigSpaceJson = """
        {
          "hyperparameters": [
            {"name": "lr", "type": "uniform_float", "log": true, "lower": 1e-06, "upper": 0.1, "default": 0.01},
            {"name": "num_layers", "type": "uniform_int", "log": false, "lower": 1, "upper": 3, "default": 2},
            {"name": "optimizer", "type": "categorical", "choices": ["Adam", "SGD"], "default": "Adam"},
            {"name": "sgd_momentum", "type": "uniform_float", "log": false, "lower": 0.0, "upper": 0.99, "default": 0.9}
          ],
          "conditions": [
            {"child": "sgd_momentum", "parent": "optimizer", "type": "EQ", "value": "SGD"}
          ],
          "forbiddens": [
            {"type": "AND", "clauses": [
              {"name": "optimizer", "type": "EQUALS", "value": "SGD"},
              {"name": "num_layers", "type": "EQUALS", "value": 3}
            ]}
          ],
          "json_format_version": 0.2
        }
        """;

    /// <summary>Reads a space from ConfigSpace JSON (a file written by Python's ConfigSpace, or <see cref="ConfigSpaceJson"/>).</summary>
    public static ConfigurationSpace FromJson() => ConfigurationSpace.FromJson(ConfigSpaceJson);
}
