using HpBandSter.Orleans.Objectives;
using HpBandSter.Spaces;

namespace HpBandSter.PluginFixture;

/// <summary>Loss = y, with its search space in an embedded resource.</summary>
[Objective("plugin-count", SearchSpaceResource = "HpBandSter.PluginFixture.space.json")]
public sealed class CountObjective : IObjective
{
    /// <inheritdoc />
    public ValueTask<ObjectiveResult> EvaluateAsync(Configuration configuration, double budget, ObjectiveContext context) =>
        ValueTask.FromResult(new ObjectiveResult(configuration.GetInt64("y")));
}
