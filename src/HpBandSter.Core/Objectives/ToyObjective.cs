using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Objectives;

/// <summary>
/// HpBandSter's quick-start worker: one float <c>x</c> in [0, 1];
/// <c>loss = clip(x + N(0, 1) / budget, x / 2, 1.5 x)</c>; budgets 9 to 243; optimum 0 at x = 0.
/// </summary>
public sealed class ToyObjective : BenchmarkObjective
{
    /// <summary>The registered name.</summary>
    public const string ObjectiveName = "toy";

    /// <inheritdoc />
    public override string Name => ObjectiveName;

    /// <inheritdoc />
    public override string Description => "HpBandSter's quick-start toy: x in [0,1], noise shrinking as 1/budget (budgets 9..243)";

    /// <inheritdoc />
    public override ConfigurationSpace Space { get; } = new SearchSpaceBuilder()
        .Float("x", 0.0, 1.0)
        .Build();

    /// <inheritdoc />
    public override double MinBudget => 9;

    /// <inheritdoc />
    public override double MaxBudget => 243;

    /// <inheritdoc />
    public override double Optimum => 0.0;

    /// <inheritdoc />
    public override double TrueLoss(Configuration configuration) => configuration.GetDouble("x");

    /// <inheritdoc />
    public override ObjectiveEvaluation Evaluate(Configuration configuration, double budget, RandomSource noise)
    {
        _ = Fidelity(budget);
        var x = configuration.GetDouble("x");
        var y = x + (noise.NextGaussian() / budget);
        var loss = Math.Clamp(y, x / 2, 1.5 * x);
        return new ObjectiveEvaluation(loss, new JsonObject { ["x"] = x, ["true_loss"] = x });
    }
}
