namespace HpBandSter.Sampling.Kde;

/// <summary>How a KDE column is smoothed.</summary>
public enum KdeColumnKind
{
    /// <summary>A real value (ConfigSpace vector space, usually [0, 1]); Gaussian kernel.</summary>
    Continuous,

    /// <summary>A level index 0..k−1 stored as a double; Aitchison–Aitken kernel.</summary>
    Categorical,
}
