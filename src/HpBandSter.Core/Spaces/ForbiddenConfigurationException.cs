namespace HpBandSter.Spaces;

/// <summary>
/// A configuration (from a vector, from values, or to be validated) is excluded by a forbidden clause. BOHB's config
/// generator catches it and falls back to a random configuration, as HpBandSter does.
/// </summary>
public sealed class ForbiddenConfigurationException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="configuration"/> and the first clause that excludes it.</summary>
    public ForbiddenConfigurationException(Configuration configuration, ForbiddenClause clause)
        : base($"Configuration {configuration} is forbidden by '{clause}'.")
    {
        Configuration = configuration;
        Clause = clause;
    }

    /// <summary>The forbidden configuration (inactive hyperparameters already dropped).</summary>
    public Configuration Configuration { get; }

    /// <summary>The clause that excludes it.</summary>
    public ForbiddenClause Clause { get; }
}
