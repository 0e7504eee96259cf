using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Objectives;

/// <summary>
/// Multi-fidelity Hartmann-6: floats <c>x0</c>…<c>x5</c> in [0, 1]; with z = budget / 243 the weights are
/// α_i − 0.1(1−z), and <c>loss = −Σ_i α_i(z) exp(−Σ_j A_ij (x_j − P_ij)²) + 0.1(1−z)·N(0, 1)</c>.
/// Optimum −3.32236801141551.
/// </summary>
public sealed class Hartmann6Objective : BenchmarkObjective
{
    /// <summary>The registered name.</summary>
    public const string ObjectiveName = "hartmann6";

    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];

    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 },
        { 0.05, 10, 17, 0.1, 8, 14 },
        { 3, 3.5, 1.7, 10, 17, 8 },
        { 17, 8, 0.05, 10, 0.1, 14 },
    };

    private static readonly double[,] P =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
        { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
        { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    private static readonly string[] Names = ["x0", "x1", "x2", "x3", "x4", "x5"];

    /// <inheritdoc />
    public override string Name => ObjectiveName;

    /// <inheritdoc />
    public override string Description => "Multi-fidelity Hartmann-6, 6 floats in [0,1] (budgets 9..243)";

    /// <inheritdoc />
    public override ConfigurationSpace Space { get; } = Names
        .Aggregate(new SearchSpaceBuilder(), (b, name) => b.Float(name, 0.0, 1.0))
        .Build();

    /// <inheritdoc />
    public override double MinBudget => 9;

    /// <inheritdoc />
    public override double MaxBudget => 243;

    /// <inheritdoc />
    public override double Optimum => -3.32236801141551;

    /// <inheritdoc />
    public override double TrueLoss(Configuration configuration) => Value(Read(configuration), 1.0);

    /// <inheritdoc />
    public override ObjectiveEvaluation Evaluate(Configuration configuration, double budget, RandomSource noise)
    {
        var z = Fidelity(budget);
        var value = Value(Read(configuration), z);
        var loss = value + (0.1 * (1 - z) * noise.NextGaussian());
        return new ObjectiveEvaluation(loss, new JsonObject { ["noise_free_loss"] = value });
    }

    /// <summary>The noise-free Hartmann-6 value at fidelity <paramref name="z"/>.</summary>
    public static double Value(ReadOnlySpan<double> x, double z)
    {
        if (x.Length != 6)
        {
            throw new ArgumentException("Hartmann-6 takes exactly six coordinates.", nameof(x));
        }

        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                var d = x[j] - P[i, j];
                inner += A[i, j] * d * d;
            }

            sum += (Alpha[i] - (0.1 * (1 - z))) * Math.Exp(-inner);
        }

        return -sum;
    }

    private static double[] Read(Configuration configuration)
    {
        var x = new double[6];
        for (var j = 0; j < 6; j++)
        {
            x[j] = configuration.GetDouble(Names[j]);
        }

        return x;
    }
}
