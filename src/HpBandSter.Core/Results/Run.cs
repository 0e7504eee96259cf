using System.Text.Json.Nodes;

namespace HpBandSter.Results;

/// <summary>
/// One evaluation of one configuration on one budget (HpBandSter's <c>Run</c>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Loss"/> is the loss exactly as the worker reported it, including non-finite values
/// (NaN, +∞, -∞). It is <c>null</c> when the job produced no result (the objective threw, or its worker died)
/// or when the result's loss itself was null. This matches HpBandSter, where <c>Run.loss</c> is None for
/// crashed jobs and otherwise <c>result['loss']</c> unchanged.
/// </para>
/// <para>
/// <see cref="IsCrashed"/> is HpBandSter's <c>CRASHED</c> status: no loss, or a non-finite one. BOHB's model counts
/// such a run as loss +∞. The analysis methods of <see cref="OptimizationResult"/> follow HpBandSter's rule
/// "a run counts when its loss is not None" (so ±∞ take part), except that NaN losses are skipped; see there.
/// </para>
/// </remarks>
/// <param name="ConfigId">The configuration evaluated.</param>
/// <param name="Budget">The budget it was evaluated on.</param>
/// <param name="Loss">The reported loss (lower is better), or null when there was no result.</param>
/// <param name="Info">The worker's <c>info</c> (any JSON), or null. Treat as read-only.</param>
/// <param name="TimeStamps">Submitted / started / finished times.</param>
/// <param name="ErrorLogs">The exception text (a traceback, or <c>"Worker died unexpectedly."</c>), or null.</param>
public sealed record Run(
    ConfigId ConfigId,
    double Budget,
    double? Loss,
    JsonNode? Info,
    RunTimestamps TimeStamps,
    string? ErrorLogs)
{
    /// <summary>Whether HpBandSter marks this run <c>CRASHED</c>: no loss, or a non-finite one.</summary>
    public bool IsCrashed => Loss is not { } loss || !double.IsFinite(loss);

    /// <summary>Whether the run has a loss that HpBandSter's analyses compare (present and not NaN).</summary>
    internal bool HasComparableLoss => Loss is { } loss && !double.IsNaN(loss);
}
