using HpBandSter.Sampling.Kde;

namespace HpBandSter.Sampling;

/// <summary>The pair of densities TPE-style generators fit on one budget: l(x) over good points, g(x) over bad ones.</summary>
internal sealed record GoodBadModel(MultivariateKde Good, MultivariateKde Bad);
