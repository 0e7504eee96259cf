namespace HpBandSter.Orleans.Objectives;

/// <summary>One <c>AddObjective</c> call: the name a run uses and how to create the objective.</summary>
internal sealed record ObjectiveRegistration(string Name, Func<IServiceProvider, IObjective> Create);
