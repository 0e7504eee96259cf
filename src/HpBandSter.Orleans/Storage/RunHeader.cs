namespace HpBandSter.Orleans.Storage;

/// <summary>What never changes about a run: its id, specification (JSON) and creation time.</summary>
/// <param name="RunId">The run's id (at most 200 characters).</param>
/// <param name="SpecJson">The run specification as JSON.</param>
/// <param name="CreatedAt">When the run was created.</param>
public sealed record RunHeader(string RunId, string SpecJson, DateTimeOffset CreatedAt);
