using System.Collections.Immutable;
using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>A run's progress and settings, as a client sees them.</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.RunStatus")]
public sealed record RunStatus
{
    /// <summary>The run's id.</summary>
    [Id(0)] public required string RunId { get; init; }

    /// <summary>Running, completed, cancelled, or unknown (no such run).</summary>
    [Id(1)] public required RunState State { get; init; }

    /// <summary>The specification the run was started with; null for an unknown run.</summary>
    [Id(2)] public RunSpec? Spec { get; init; }

    /// <summary>The stage budgets, smallest first.</summary>
    [Id(3)] public ImmutableArray<double> Budgets { get; init; } = [];

    /// <summary>Iterations planned.</summary>
    [Id(4)] public int IterationsPlanned { get; init; }

    /// <summary>Iterations opened so far.</summary>
    [Id(5)] public int IterationsOpened { get; init; }

    /// <summary>Iterations whose every stage is recorded.</summary>
    [Id(6)] public int IterationsFinished { get; init; }

    /// <summary>Evaluations the schedule plans (for H2BO an estimate: its brackets move as models appear).</summary>
    [Id(7)] public int EvaluationsPlanned { get; init; }

    /// <summary>Jobs asked for and waiting for a slot.</summary>
    [Id(8)] public int Queued { get; init; }

    /// <summary>Jobs running on a worker.</summary>
    [Id(9)] public int Running { get; init; }

    /// <summary>Results recorded (including crashed ones).</summary>
    [Id(10)] public int Finished { get; init; }

    /// <summary>Results recorded as crashed (exception, NaN or infinite loss, timeout, silo died too often).</summary>
    [Id(11)] public int Crashed { get; init; }

    /// <summary>Jobs dispatched again because their silo died or handed them back.</summary>
    [Id(12)] public int Redispatched { get; init; }

    /// <summary>The incumbent so far, or null.</summary>
    [Id(13)] public IncumbentInfo? Incumbent { get; init; }

    /// <summary>Seconds since the run started (until it ended, for an ended run).</summary>
    [Id(14)] public double ElapsedSeconds { get; init; }

    /// <summary>Slots on live silos that offer the run's objective.</summary>
    [Id(15)] public int SlotsAvailable { get; init; }

    /// <summary>Running jobs per silo address.</summary>
    [Id(16)] public ImmutableDictionary<string, int> RunningBySilo { get; init; } = ImmutableDictionary<string, int>.Empty;

    /// <summary>The silo hosting the run grain.</summary>
    [Id(17)] public string? Host { get; init; }

    /// <summary>Unix time (seconds) when the run started: results' timestamps are relative to it.</summary>
    [Id(18)] public double StartedAt { get; init; }

    /// <summary>Where the run's warm-start data came from, or null; <see cref="Spec"/> leaves the data itself out (<see cref="IRunGrain.GetSpecAsync"/> has it).</summary>
    [Id(19)] public string? WarmStartSource { get; init; }

    /// <summary>Results the run was warm-started with.</summary>
    [Id(20)] public int WarmStartRuns { get; init; }

    /// <summary>
    /// What the run waits for or why it stopped, when there is something to say: for example that it waits for
    /// <see cref="RunSpec.MinSlots"/> slots, or was cancelled because they did not come in time. Null otherwise.
    /// </summary>
    [Id(21)] public string? Note { get; init; }

    /// <summary>Whether the run reached a final state.</summary>
    public bool IsEnded => State is RunState.Completed or RunState.Cancelled;
}
