using System.Collections.Immutable;
using Orleans;
using Orleans.Concurrency;

namespace HpBandSter.Orleans.Workers;

/// <summary>
/// The evaluation slots of one silo. Keyed by the silo's address and always activated on that silo; evaluations run
/// in a silo service, off the grain's turn, so no call here waits for an evaluation.
/// </summary>
[Alias("HpBandSter.IWorkerGrain")]
public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Slots and objectives of this silo.</summary>
    [Alias("Describe")]
    Task<WorkerDescription> DescribeAsync();

    /// <summary>A run has jobs waiting: the worker calls it back with free slots (fairly among waiting runs).</summary>
    [Alias("AnnounceWork"), OneWay]
    Task AnnounceWorkAsync(string runId);

    /// <summary>
    /// The evaluations of <paramref name="runId"/> running on this silo: a run rebuilt from its journal (its host
    /// silo died, or its activation was dropped) takes them back as dispatched instead of evaluating them again.
    /// </summary>
    [Alias("RunningJobs")]
    Task<ImmutableArray<RunningJob>> GetRunningJobsAsync(string runId);

    /// <summary>A run was cancelled: cancel its running evaluations (through their cancellation token).</summary>
    [Alias("CancelRun"), OneWay]
    Task CancelRunAsync(string runId);

    /// <summary>
    /// A run of an objective this silo offers has ended: once it completed, its job directories here are kept or
    /// cleaned by the objective's retention setting, and when the run asks its workers to shut down (<see cref="RunEnding.ShutdownWorkers"/>),
    /// a silo in worker mode stops once idle.
    /// </summary>
    [Alias("RunEnded"), OneWay]
    Task RunEndedAsync(string runId, RunEnding ending);
}
