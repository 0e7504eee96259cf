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
/// <param name="Owner">
/// The service id of the cluster whose run grain wrote this row last: a silo brings back after a crash only the
/// unfinished runs of its own service (and those of no service, written before schema v2), so two clusters or two
/// embedded processes that share one store never take over each other's runs. Empty when unknown.
/// </param>
public sealed record RunSummary(
    string RunId,
    string State,
    string Objective,
    string Optimizer,
    int Finished,
    int Planned,
    double? BestLoss,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string Owner = "");
