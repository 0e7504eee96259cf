using HpBandSter.Sampling;
using HpBandSter.Scheduling;

namespace HpBandSter.Optimizers;

/// <summary>
/// Everything that defines an optimization apart from the search space and the seed, with HpBandSter's names
/// and defaults (<c>eta = 3</c>; BOHB: <c>top_n_percent = 15</c>, <c>num_samples = 64</c>,
/// <c>random_fraction = 1/3</c>, <c>bandwidth_factor = 3</c>, <c>min_bandwidth = 1e-3</c>).
/// </summary>
/// <param name="Kind">Which optimizer.</param>
/// <param name="MinBudget">The smallest budget (HpBandSter's BOHB/HyperBand default 0.01; RandomSearch uses max_budget).</param>
/// <param name="MaxBudget">The largest budget (default 1).</param>
/// <param name="Iterations">How many iterations (brackets) to run, HpBandSter's <c>n_iterations</c>.</param>
/// <param name="Eta">The successive-halving reduction factor, at least 2 (default 3).</param>
/// <param name="Sizing">Bracket sizes: HpBandSter's floor (default) or the paper's ceil.</param>
/// <param name="Model">BOHB's (and H2BO's) model settings; null means the optimizer's defaults.</param>
public sealed record OptimizerSettings(
    OptimizerKind Kind,
    double MinBudget,
    double MaxBudget,
    int Iterations,
    double Eta = 3,
    BracketSizing Sizing = BracketSizing.Floor,
    BohbSettings? Model = null)
{
    /// <summary>H2BO's model defaults in HpBandSter: <c>num_samples = 32</c>, <c>bandwidth_factor = 1</c>.</summary>
    public static BohbSettings H2boDefaults { get; } = new(NumSamples: 32, BandwidthFactor: 1);

    /// <summary>Which brackets the iterations run: HyperBand's cycle (BOHB, HyperBand), RandomSearch's or H2BO's.</summary>
    public BracketScheme Scheme => Kind switch
    {
        OptimizerKind.RandomSearch => BracketScheme.RandomSearch,
        OptimizerKind.H2bo => BracketScheme.H2bo,
        _ => BracketScheme.HyperBand,
    };

    /// <summary>The model settings in effect: <see cref="Model"/> or the optimizer's defaults.</summary>
    public BohbSettings EffectiveModel => Model ?? (Kind == OptimizerKind.H2bo ? H2boDefaults : new BohbSettings());

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is out of range, and how to fix it.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown optimizer {Kind}; use bohb, hyperband, randomsearch or h2bo.", nameof(Kind));
        }

        if (Iterations < 1)
        {
            throw new ArgumentException($"iterations must be at least 1 (got {Iterations}).", nameof(Iterations));
        }

        // The schedule validates eta and the budgets with messages that name them.
        _ = new HyperbandSchedule(MinBudget, MaxBudget, Eta, Sizing);
        EffectiveModel.Validate();
    }
}
