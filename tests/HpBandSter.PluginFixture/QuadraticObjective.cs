using System.Text.Json.Nodes;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Spaces;
using Microsoft.Extensions.Logging;

namespace HpBandSter.PluginFixture;

/// <summary>(x - 0.25)² + 1/budget, with its search space in the attribute; created with dependency injection.</summary>
[Objective("plugin-quadratic", SearchSpaceJson = """{"hyperparameters": [{"name": "x", "type": "uniform_float", "log": false, "lower": 0.0, "upper": 1.0, "default": 0.5}], "conditions": [], "forbiddens": []}""")]
public sealed class QuadraticObjective(ILogger<QuadraticObjective> logger) : IObjective
{
    /// <inheritdoc />
    public ValueTask<ObjectiveResult> EvaluateAsync(Configuration configuration, double budget, ObjectiveContext context)
    {
        var x = configuration.GetDouble("x");
        logger.LogDebug("x={X} budget={Budget}", x, budget);
        var loss = ((x - 0.25) * (x - 0.25)) + (1.0 / budget);
        return ValueTask.FromResult(new ObjectiveResult(loss, new JsonObject { ["plugin"] = typeof(QuadraticObjective).Assembly.GetName().Name }));
    }
}
