using HpBandSter.Objectives;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Client;

/// <summary>What a command that did not start a run knows of its objective and search space, from the run's status.</summary>
internal static class LiveRunSpace
{
    /// <summary>The built-in objective of that name (for the summary's true loss), or null.</summary>
    public static BenchmarkObjective? Problem(RunStatus status) =>
        status.Spec is { } spec ? BenchmarkObjectives.All.FirstOrDefault(o => o.Name == spec.Objective) : null;

    /// <summary>The run's search space as ConfigSpace JSON (sent with the run, else the built-in objective's), or null.</summary>
    public static string? Json(RunStatus status) => status.Spec?.SearchSpace ?? Problem(status)?.Space.ToJson();
}
