using HpBandSter.Spaces;

namespace HpBandSter.Orleans.Objectives;

/// <summary>An objective given as a function (the delegate overload of <c>AddObjective</c>).</summary>
internal sealed class DelegateObjective(
    Func<Configuration, double, ObjectiveContext, ValueTask<ObjectiveResult>> evaluate,
    ConfigurationSpace? space) : IObjective
{
    public ConfigurationSpace? SearchSpace => space;

    public ValueTask<ObjectiveResult> EvaluateAsync(Configuration configuration, double budget, ObjectiveContext context) =>
        evaluate(configuration, budget, context);
}
