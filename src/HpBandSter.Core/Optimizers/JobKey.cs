using System.Globalization;

namespace HpBandSter.Optimizers;

/// <summary>Identifies one evaluation: a config id and a budget (a configuration is evaluated once per budget).</summary>
public readonly record struct JobKey(ConfigId Id, double Budget)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id} on budget {Budget:R}");
}
