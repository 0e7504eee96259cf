namespace HpBandSter.Optimizers;

/// <summary>The four optimizers HpBandSter exports.</summary>
public enum OptimizerKind
{
    /// <summary>HyperBand brackets with BOHB's KDE model proposing configurations.</summary>
    Bohb,

    /// <summary>HyperBand brackets with configurations drawn from the prior.</summary>
    HyperBand,

    /// <summary>Configurations from the prior, all evaluated on the maximum budget.</summary>
    RandomSearch,

    /// <summary>HpBandSter's H2BO: one most-aggressive bracket per iteration, starting at the largest budget with a model.</summary>
    H2bo,
}
