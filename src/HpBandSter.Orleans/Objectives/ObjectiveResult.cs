using System.Text.Json.Nodes;

namespace HpBandSter.Orleans.Objectives;

/// <summary>What an objective returns: HpBandSter's <c>{'loss': …, 'info': …}</c>.</summary>
/// <param name="Loss">The loss, lower is better. NaN or ±∞ is recorded as a crashed run.</param>
/// <param name="Info">Anything JSON-serialisable to keep with the result (accuracy, epochs, ...), or null.</param>
public sealed record ObjectiveResult(double Loss, JsonNode? Info = null);
