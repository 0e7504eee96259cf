namespace HpBandSter.Sampling.Kde;

/// <summary>Describes one column of the data a <see cref="MultivariateKde"/> is fitted on.</summary>
/// <param name="Kind">Continuous or categorical.</param>
/// <param name="Levels">
/// For a categorical column, the hyperparameter's true number of choices (at least 1); ignored for continuous columns.
/// </param>
/// <param name="Name">The hyperparameter's name, used only in error messages; may be <see langword="null"/>.</param>
public readonly record struct KdeColumn(KdeColumnKind Kind, int Levels, string? Name = null)
{
    /// <summary>A continuous column.</summary>
    public static KdeColumn Continuous(string? name = null) => new(KdeColumnKind.Continuous, 0, name);

    /// <summary>A categorical column with <paramref name="levels"/> choices, coded 0..levels−1.</summary>
    public static KdeColumn Categorical(int levels, string? name = null) => new(KdeColumnKind.Categorical, levels, name);

    /// <summary>Whether this is a categorical column.</summary>
    public bool IsCategorical => Kind == KdeColumnKind.Categorical;

    /// <summary>"column 3 ('lr')" for error messages.</summary>
    internal string Describe(int index) => Name is null ? $"column {index}" : $"column {index} ('{Name}')";
}
