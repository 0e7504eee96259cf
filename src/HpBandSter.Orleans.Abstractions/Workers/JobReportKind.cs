using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>How an evaluation ended on its worker.</summary>
[GenerateSerializer, Alias("HpBandSter.JobReportKind")]
public enum JobReportKind
{
    /// <summary>The objective returned a loss (which may still be NaN or infinite: the run records that as crashed).</summary>
    Completed,

    /// <summary>The objective threw; the report carries the exception text.</summary>
    Failed,

    /// <summary>The run's per-job timeout expired; the evaluation was cancelled.</summary>
    TimedOut,

    /// <summary>The run was cancelled while the job was running.</summary>
    Cancelled,

    /// <summary>The worker's silo is shutting down and gave the job back; it is dispatched again without counting as a retry.</summary>
    HandedBack,
}
