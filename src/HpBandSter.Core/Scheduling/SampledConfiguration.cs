using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Scheduling;

/// <summary>
/// What a config generator hands an iteration: the configuration and its info (HpBandSter's <c>config_info</c>,
/// e.g. <c>{"model_based_pick": false}</c> for BOHB, <c>{}</c> for random sampling), logged to configs.json.
/// </summary>
/// <param name="Config">The sampled configuration.</param>
/// <param name="Info">Information about how it was sampled.</param>
public sealed record SampledConfiguration(Configuration Config, JsonObject Info);
