using HpBandSter.Spaces;

namespace HpBandSter.Scheduling;

/// <summary>A configuration to evaluate at a budget, handed out by <see cref="SuccessiveHalvingIteration.NextRun"/>.</summary>
/// <param name="Id">The configuration's id.</param>
/// <param name="Config">The configuration.</param>
/// <param name="Budget">The budget to evaluate it at.</param>
/// <param name="IsNewConfiguration">True when the configuration was sampled by this call; that is when HpBandSter logs
/// it to configs.json (promoted configurations are not logged again).</param>
public readonly record struct ScheduledRun(ConfigId Id, Configuration Config, double Budget, bool IsNewConfiguration);
