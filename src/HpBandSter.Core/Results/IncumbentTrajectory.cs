namespace HpBandSter.Results;

/// <summary>
/// The incumbent over time (the dict returned by HpBandSter's <c>get_incumbent_trajectory</c>): four
/// parallel lists, one entry per change of incumbent, plus possibly a final entry repeating the last
/// incumbent at the time the last run finished.
/// </summary>
/// <param name="ConfigIds">The incumbent's configuration id at each point.</param>
/// <param name="TimesFinished">When the run that made it incumbent finished (relative seconds).</param>
/// <param name="Budgets">The budget of that run.</param>
/// <param name="Losses">The loss of that run.</param>
public sealed record IncumbentTrajectory(
    IReadOnlyList<ConfigId> ConfigIds,
    IReadOnlyList<double> TimesFinished,
    IReadOnlyList<double> Budgets,
    IReadOnlyList<double> Losses)
{
    /// <summary>The empty trajectory (no run with a loss).</summary>
    public static IncumbentTrajectory Empty { get; } = new([], [], [], []);

    /// <summary>The number of points.</summary>
    public int Count => ConfigIds.Count;
}
