namespace HpBandSter.Optimizers;

/// <summary>What <see cref="Optimizer.Ask"/> answers.</summary>
public enum AskStatus
{
    /// <summary>A job to evaluate.</summary>
    Job,

    /// <summary>Nothing can be handed out until a pending result arrives (a stage is waiting for its stragglers).</summary>
    WaitForResults,

    /// <summary>Every iteration is finished.</summary>
    Finished,
}

/// <summary>The answer of <see cref="Optimizer.Ask"/>: a job, "wait for results", or "finished".</summary>
public readonly record struct AskResult(AskStatus Status, Job? Job)
{
    /// <summary>"Wait for a result."</summary>
    public static AskResult Wait => new(AskStatus.WaitForResults, null);

    /// <summary>"All iterations are finished."</summary>
    public static AskResult Done => new(AskStatus.Finished, null);
}
