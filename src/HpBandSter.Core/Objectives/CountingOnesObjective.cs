using System.Text.Json.Nodes;
using HpBandSter.Spaces;
using MathNet.Numerics.Distributions;

namespace HpBandSter.Objectives;

/// <summary>
/// The BOHB paper's counting-ones problem: categoricals <c>c0</c>…<c>c7</c> with choices {0, 1} and floats
/// <c>x0</c>…<c>x7</c> in [0, 1]; with n = round(budget),
/// <c>loss = −(Σ c_i + Σ_i Binomial(n, x_i) / n)</c>; budgets 9 to 729; optimum −16.
/// </summary>
public sealed class CountingOnesObjective : BenchmarkObjective
{
    /// <summary>The registered name.</summary>
    public const string ObjectiveName = "countingones";

    private const int Half = 8;

    private static readonly string[] CategoricalNames = Enumerable.Range(0, Half).Select(i => $"c{i}").ToArray();
    private static readonly string[] FloatNames = Enumerable.Range(0, Half).Select(i => $"x{i}").ToArray();

    /// <inheritdoc />
    public override string Name => ObjectiveName;

    /// <inheritdoc />
    public override string Description => "Counting ones, 8 binary categoricals + 8 floats (budgets 9..729)";

    /// <inheritdoc />
    public override ConfigurationSpace Space { get; } = BuildSpace();

    /// <inheritdoc />
    public override double MinBudget => 9;

    /// <inheritdoc />
    public override double MaxBudget => 729;

    /// <inheritdoc />
    public override double Optimum => -2.0 * Half;

    /// <inheritdoc />
    public override double TrueLoss(Configuration configuration)
    {
        var sum = 0.0;
        for (var i = 0; i < Half; i++)
        {
            sum += configuration.GetDouble(CategoricalNames[i]) + configuration.GetDouble(FloatNames[i]);
        }

        return -sum;
    }

    /// <inheritdoc />
    public override ObjectiveEvaluation Evaluate(Configuration configuration, double budget, RandomSource noise)
    {
        _ = Fidelity(budget);
        var n = (int)Math.Round(budget, MidpointRounding.ToEven);
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "The countingones objective needs a budget of at least 0.5 (it is the number of Bernoulli samples).");
        }

        var sum = 0.0;
        for (var i = 0; i < Half; i++)
        {
            sum += configuration.GetDouble(CategoricalNames[i]);
            sum += Binomial.Sample(noise, configuration.GetDouble(FloatNames[i]), n) / (double)n;
        }

        return new ObjectiveEvaluation(-sum, new JsonObject { ["samples"] = n });
    }

    private static ConfigurationSpace BuildSpace()
    {
        var builder = new SearchSpaceBuilder();
        foreach (var name in CategoricalNames)
        {
            builder.Categorical(name, 0L, 1L);
        }

        foreach (var name in FloatNames)
        {
            builder.Float(name, 0.0, 1.0);
        }

        return builder.Build();
    }
}
