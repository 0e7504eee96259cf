using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Results;

/// <summary>
/// A sampled configuration with its id and the generator's notes about it (the <c>config</c> and
/// <c>config_info</c> of HpBandSter's <c>Datum</c>; one line of <c>configs.json</c>).
/// </summary>
/// <param name="Id">The configuration id.</param>
/// <param name="Config">The active hyperparameter values.</param>
/// <param name="Info">
/// The generator's notes: <c>{"model_based_pick": bool}</c> for BOHB, <c>{}</c> for random sampling, and
/// <c>{}</c> for legacy two-element log lines (HpBandSter stores the string <c>'N/A'</c> there). Treat as read-only.
/// </param>
public sealed record ConfigRecord(ConfigId Id, Configuration Config, JsonObject Info)
{
    /// <summary>
    /// The <c>model_based_pick</c> flag of <see cref="Info"/>: true or false as recorded, null when absent or not a boolean.
    /// </summary>
    public bool? ModelBasedPick =>
        Info.TryGetPropertyValue("model_based_pick", out var node)
        && node is JsonValue value
        && value.TryGetValue<bool>(out var flag)
            ? flag
            : null;
}
