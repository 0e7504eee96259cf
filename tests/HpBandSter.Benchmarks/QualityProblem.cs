using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Scheduling;

namespace HpBandSter.Benchmarks;

/// <summary>
/// One problem of the quality benchmark and its fixed total budget: what <see cref="HyperBandIterations"/> HyperBand
/// iterations cost on the objective's budgets with eta 3 (45 × 243 for toy, branin and hartmann6 at 9..243;
/// 42 × 729 for countingones at 9..729).
/// </summary>
internal sealed class QualityProblem
{
    /// <summary>Successive halving's reduction factor for every optimizer.</summary>
    public const double Eta = 3;

    /// <summary>
    /// The iterations a run is created with. A run stops being asked for jobs once it has spent the total budget,
    /// so this only has to be large enough for RandomSearch's and H2BO's iterations (which cost less than HyperBand's
    /// largest bracket) to reach it; the optimizer opens iterations one at a time, so a larger number changes nothing.
    /// </summary>
    public const int IterationsCap = 10_000;

    private QualityProblem(BenchmarkObjective objective, int hyperBandIterations, double fullEvaluations)
    {
        Objective = objective;
        HyperBandIterations = hyperBandIterations;
        TotalBudget = fullEvaluations * objective.MaxBudget;

        // The protocol's total must be what those HyperBand iterations really cost, or the figures are off.
        var plan = SchedulePlanner.Plan(new HyperbandSchedule(objective.MinBudget, objective.MaxBudget, Eta), BracketScheme.HyperBand, hyperBandIterations);
        var planned = plan.TotalBudget;
        if (planned != TotalBudget)
        {
            throw new InvalidOperationException($"{objective.Name}: {hyperBandIterations} HyperBand iterations cost {planned}, not the protocol's {TotalBudget}.");
        }
    }

    /// <summary>The four problems, in the order of <see cref="BenchmarkObjectives.All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["toy", "branin", "hartmann6", "countingones"];

    public BenchmarkObjective Objective { get; }

    public string Name => Objective.Name;

    /// <summary>HyperBand (and BOHB) iterations that spend exactly <see cref="TotalBudget"/>.</summary>
    public int HyperBandIterations { get; }

    /// <summary>The budget every run of this problem may spend (Σ of the budgets of its evaluations).</summary>
    public double TotalBudget { get; }

    /// <summary>The protocol of a built-in problem.</summary>
    public static QualityProblem Get(string name)
    {
        var objective = BenchmarkObjectives.Get(name);
        return objective.Name switch
        {
            "countingones" => new QualityProblem(objective, 10, 42),
            _ => new QualityProblem(objective, 12, 45),
        };
    }

    /// <summary>The settings of a run: the objective's budgets, eta 3, the optimizer's defaults.</summary>
    public OptimizerSettings Settings(OptimizerKind kind, int iterations = IterationsCap) =>
        new(kind, Objective.MinBudget, Objective.MaxBudget, iterations, Eta);
}
