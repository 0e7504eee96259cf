namespace HpBandSter.Scheduling;

/// <summary>Where a configuration stands within its iteration (HpBandSter's <c>Datum.status</c>).</summary>
public enum ConfigStatus
{
    /// <summary>Waiting to run at the current stage's budget (new, or promoted from the previous stage).</summary>
    Queued,

    /// <summary>Handed out by <see cref="SuccessiveHalvingIteration.NextRun"/>; its result is awaited.</summary>
    Running,

    /// <summary>Finished the current stage with a finite loss; ranked when the stage ends.</summary>
    Review,

    /// <summary>Ranked out at the end of a stage; it runs no more.</summary>
    Terminated,

    /// <summary>Its run failed: no result, or a loss that is NaN or infinite. It runs no more.</summary>
    Crashed,

    /// <summary>The iteration has finished (every configuration ends here).</summary>
    Completed,
}
