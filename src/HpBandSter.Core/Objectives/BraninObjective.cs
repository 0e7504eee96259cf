using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Objectives;

/// <summary>
/// Multi-fidelity Branin: floats <c>x1</c> in [-5, 10], <c>x2</c> in [0, 15]; with z = budget / 243,
/// b(z) = 5.1/(4π²) − 0.01(1−z), c(z) = 5/π − 0.1(1−z), t(z) = 1/(8π) + 0.05(1−z), and
/// <c>loss = (x2 − b x1² + c x1 − 6)² + 10(1−t) cos(x1) + 10 + 2(1−z)·N(0, 1)</c>.
/// Optimum 0.397887357729739 (at (−π, 12.275), (π, 2.275), (9.42478, 2.475)).
/// </summary>
public sealed class BraninObjective : BenchmarkObjective
{
    /// <summary>The registered name.</summary>
    public const string ObjectiveName = "branin";

    /// <inheritdoc />
    public override string Name => ObjectiveName;

    /// <inheritdoc />
    public override string Description => "Multi-fidelity Branin, 2 floats (budgets 9..243)";

    /// <inheritdoc />
    public override ConfigurationSpace Space { get; } = new SearchSpaceBuilder()
        .Float("x1", -5.0, 10.0)
        .Float("x2", 0.0, 15.0)
        .Build();

    /// <inheritdoc />
    public override double MinBudget => 9;

    /// <inheritdoc />
    public override double MaxBudget => 243;

    /// <inheritdoc />
    public override double Optimum => 0.397887357729739;

    /// <inheritdoc />
    public override double TrueLoss(Configuration configuration) =>
        Value(configuration.GetDouble("x1"), configuration.GetDouble("x2"), 1.0);

    /// <inheritdoc />
    public override ObjectiveEvaluation Evaluate(Configuration configuration, double budget, RandomSource noise)
    {
        var z = Fidelity(budget);
        var value = Value(configuration.GetDouble("x1"), configuration.GetDouble("x2"), z);
        var loss = value + (2.0 * (1 - z) * noise.NextGaussian());
        return new ObjectiveEvaluation(loss, new JsonObject { ["noise_free_loss"] = value });
    }

    /// <summary>The noise-free Branin value at fidelity <paramref name="z"/>.</summary>
    public static double Value(double x1, double x2, double z)
    {
        var b = (5.1 / (4 * Math.PI * Math.PI)) - (0.01 * (1 - z));
        var c = (5 / Math.PI) - (0.1 * (1 - z));
        var t = (1 / (8 * Math.PI)) + (0.05 * (1 - z));
        var u = x2 - (b * x1 * x1) + (c * x1) - 6;
        return (u * u) + (10 * (1 - t) * Math.Cos(x1)) + 10;
    }
}
