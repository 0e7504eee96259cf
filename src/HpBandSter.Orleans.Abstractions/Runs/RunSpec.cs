using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// Everything a run needs, as a client sends it to a run grain: the optimizer and its settings, the search space,
/// the objective's name, and HpBandSter's run controls (job-queue sizes, per-job timeout, retries).
/// </summary>
/// <remarks>
/// A specification carries names and numbers only; the code that evaluates a configuration is registered on the
/// silos by their operator (<see cref="Objective"/> names it). <see cref="RunSpecValidator"/> checks it; the run
/// grain refuses a specification that fails, with a message naming the field.
/// </remarks>
[GenerateSerializer, Immutable, Alias("HpBandSter.RunSpec")]
public sealed record RunSpec
{
    /// <summary>The name of the objective, as registered on the silos (for example <c>toy</c>).</summary>
    [Id(0)] public required string Objective { get; init; }

    /// <summary><c>bohb</c> (default), <c>hyperband</c>, <c>randomsearch</c> or <c>h2bo</c>.</summary>
    [Id(1)] public string Optimizer { get; init; } = "bohb";

    /// <summary>The smallest budget. Required.</summary>
    [Id(2)] public required double MinBudget { get; init; }

    /// <summary>The largest budget. Required.</summary>
    [Id(3)] public required double MaxBudget { get; init; }

    /// <summary>Iterations (brackets) to run, HpBandSter's <c>n_iterations</c>. Default 4.</summary>
    [Id(4)] public int Iterations { get; init; } = 4;

    /// <summary>Successive halving's reduction factor, at least 2. Default 3.</summary>
    [Id(5)] public double Eta { get; init; } = 3;

    /// <summary>The seed of the run's one random source. Same seed and one slot: the same run.</summary>
    [Id(6)] public long Seed { get; init; }

    /// <summary>The search space as ConfigSpace JSON; null uses the space the objective was registered with.</summary>
    [Id(7)] public string? SearchSpace { get; init; }

    /// <summary>HpBandSter's <c>job_queue_sizes[0]</c>: refill the queue when at most this many jobs are outstanding. Default -1.</summary>
    [Id(8)] public int JobQueueMin { get; init; } = -1;

    /// <summary>HpBandSter's <c>job_queue_sizes[1]</c>: stop asking when this many jobs are outstanding. Default 0.</summary>
    [Id(9)] public int JobQueueMax { get; init; }

    /// <summary>HpBandSter's <c>dynamic_queue_size</c>: add the number of slots that offer the objective to both queue sizes. Default true.</summary>
    [Id(10)] public bool DynamicQueueSize { get; init; } = true;

    /// <summary>How long one evaluation may take before it is cancelled and recorded as crashed; null (default) means no limit.</summary>
    [Id(11)] public TimeSpan? JobTimeout { get; init; }

    /// <summary>How often a job whose silo died is dispatched again before it is recorded as crashed. Default 3.</summary>
    [Id(12)] public int RetryLimit { get; init; } = 3;

    /// <summary>An artificial delay before each evaluation, in seconds (the seed's <c>sleep_interval</c>), to see parallel speed-ups. Default 0.</summary>
    [Id(13)] public double SleepSeconds { get; init; }

    /// <summary>Bracket sizes: <c>floor</c> (HpBandSter, default) or <c>ceil</c> (the HyperBand paper).</summary>
    [Id(14)] public string BracketSizing { get; init; } = "floor";

    /// <summary>BOHB's and H2BO's model settings; null uses the optimizer's defaults.</summary>
    [Id(15)] public ModelSpec? Model { get; init; }

    /// <summary>An earlier run's results to seed the model with (HpBandSter's <c>previous_result</c>); null for none.</summary>
    [Id(16)] public WarmStartSpec? WarmStart { get; init; }

    /// <summary>
    /// HpBandSter's <c>min_n_workers</c>: the first job waits until at least this many slots offer the objective.
    /// Default 1 (start as soon as any slot is there).
    /// </summary>
    [Id(17)] public int MinSlots { get; init; } = 1;

    /// <summary>How long to wait for <see cref="MinSlots"/> before the run is cancelled (it can be resumed); null (default) waits without limit.</summary>
    [Id(18)] public TimeSpan? MinSlotsTimeout { get; init; }

    /// <summary>
    /// HpBandSter's <c>shutdown(shutdown_workers=True)</c>: when the run ends (completed or cancelled), the silos in
    /// worker mode (<c>WorkerOptions.ExitWhenRunsEnd</c>) that offer its objective stop once they evaluate nothing
    /// else; shared silos stay. Default false.
    /// </summary>
    [Id(19)] public bool ShutdownWorkers { get; init; }
}
