namespace HpBandSter.Scheduling;

/// <summary>The outcome of running one configuration at one budget.</summary>
/// <param name="Budget">The budget it ran at.</param>
/// <param name="Loss">The loss returned (minimized); null when the run returned no result.</param>
/// <param name="Error">The error text (e.g. a traceback), or null.</param>
public sealed record BudgetResult(double Budget, double? Loss, string? Error)
{
    /// <summary>Whether the run counts as successful: a finite loss (otherwise the configuration is crashed).</summary>
    public bool IsSuccess => Loss is { } loss && double.IsFinite(loss);
}
