namespace HpBandSter.Orleans.Workers;

/// <summary>Evaluation slots of a silo (<c>AddHpBandSterWorker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>How many evaluations this silo runs at once. Default: the processor count. 0 makes a silo that hosts runs only.</summary>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a shutting-down silo waits for runs to acknowledge the jobs it hands back. Default 10 s.</summary>
    public TimeSpan HandBackTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
