namespace HpBandSter.Orleans.Storage;

/// <summary>One row per run for listing without reading the journal; replaced with every append.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="State">running, completed or cancelled.</param>
/// <param name="Objective">The objective's name.</param>
/// <param name="Optimizer">bohb, hyperband, randomsearch or h2bo.</param>
/// <param name="Finished">Results recorded.</param>
/// <param name="Planned">Evaluations planned.</param>
/// <param name="BestLoss">The incumbent's loss, or null.</param>
/// <param name="CreatedAt">When the run was created.</param>
/// <param name="UpdatedAt">When this row was written.</param>
public sealed record RunSummary(
    string RunId,
    string State,
    string Objective,
    string Optimizer,
    int Finished,
    int Planned,
    double? BestLoss,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
