using System.Text.Json.Nodes;

namespace HpBandSter.Objectives;

/// <summary>What an evaluation returns: HpBandSter's <c>{'loss': float, 'info': ...}</c>.</summary>
/// <param name="Loss">The value the optimizer minimizes.</param>
/// <param name="Info">Anything JSON-serialisable the objective wants recorded with the run (may be null).</param>
public sealed record ObjectiveEvaluation(double Loss, JsonNode? Info = null);
