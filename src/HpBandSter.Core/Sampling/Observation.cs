using HpBandSter.Spaces;

namespace HpBandSter.Sampling;

/// <summary>
/// One finished evaluation as a config generator sees it (HpBandSter's <c>new_result(job)</c>).
/// </summary>
/// <param name="Config">The evaluated configuration.</param>
/// <param name="Budget">The budget it was evaluated on.</param>
/// <param name="Loss">The reported loss, or null when the evaluation crashed. Non-finite losses count as crashed.</param>
public readonly record struct Observation(Configuration Config, double Budget, double? Loss)
{
    /// <summary>The loss the model uses: the reported one when finite, +inf otherwise (HpBandSter's rule).</summary>
    public double ModelLoss => Loss is { } l && double.IsFinite(l) ? l : double.PositiveInfinity;

    /// <summary>Whether the evaluation counts as crashed (no loss, or a non-finite one).</summary>
    public bool IsCrashed => Loss is not { } l || !double.IsFinite(l);
}
