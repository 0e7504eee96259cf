namespace HpBandSter.Orleans.Workers;

/// <summary>Evaluation slots of a silo (<c>AddHpBandSterWorker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>How many evaluations this silo runs at once. Default: the processor count. 0 makes a silo that hosts runs only.</summary>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a shutting-down silo waits for runs to acknowledge the jobs it hands back. Default 10 s.</summary>
    public TimeSpan HandBackTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// HpBandSter's <c>Worker(timeout=…)</c>: when this silo has evaluated nothing for this long it stops by itself
    /// (gracefully: it leaves the cluster), to release a cluster node near the end of a run. Null (default): never.
    /// </summary>
    public TimeSpan? IdleTimeout { get; set; }

    /// <summary>
    /// Worker mode (HpBandSter's <c>shutdown(shutdown_workers=True)</c>): when a run that asks for it
    /// (<c>RunSpec.ShutdownWorkers</c>) ends, this silo stops once it evaluates nothing else. Shared cluster silos
    /// leave it false (default) and stay.
    /// </summary>
    public bool ExitWhenRunsEnd { get; set; }
}
