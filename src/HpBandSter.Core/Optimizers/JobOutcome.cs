using System.Text.Json.Nodes;

namespace HpBandSter.Optimizers;

/// <summary>
/// The outcome of one evaluation: a loss with optional info, or an error.
/// </summary>
/// <remarks>
/// A missing or non-finite loss, or an error text, makes the run CRASHED (HpBandSter's rule); the model then
/// counts its loss as +inf.
/// </remarks>
/// <param name="Loss">The loss, or null when the evaluation crashed.</param>
/// <param name="Info">The objective's info (JSON), if any.</param>
/// <param name="Error">Why the evaluation failed (exception text, timeout, dead worker), if it did.</param>
public sealed record JobOutcome(double? Loss, JsonNode? Info = null, string? Error = null)
{
    /// <summary>Whether this outcome counts as crashed.</summary>
    public bool IsCrashed => Error is not null || Loss is not { } l || !double.IsFinite(l);

    /// <summary>A successful outcome.</summary>
    public static JobOutcome Success(double loss, JsonNode? info = null) => new(loss, info);

    /// <summary>A crashed outcome with the reason.</summary>
    public static JobOutcome Failure(string error) => new(null, null, error);
}
