using HpBandSter.Results;

namespace HpBandSter.Logs;

/// <summary>What <see cref="HpBandSterLogReader.Read"/> found in a log directory.</summary>
/// <param name="Result">The result rebuilt from <c>configs.json</c> and <c>results.json</c>.</param>
/// <param name="ConfigSpaceJson">The text of <c>configspace.json</c>, or null when the directory has none.</param>
/// <param name="Warnings">Lines the reader tolerated (a partial last line, repeated entries), in file order.</param>
public sealed record HpBandSterLog(OptimizationResult Result, string? ConfigSpaceJson, IReadOnlyList<LogWarning> Warnings);
