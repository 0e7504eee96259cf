using System.Collections.Immutable;
using Orleans;
using Orleans.Concurrency;

namespace HpBandSter.Orleans.Workers;

/// <summary>
/// The face of a silo's <see cref="EvaluationSlots"/>: keyed by the silo's address and placed on that silo. It keeps
/// no state of its own, so its activation may come and go; the slots live in the silo service.
/// </summary>
[GrainType("hpbandster-worker")]
[SiloPinnedPlacement]
[Reentrant]
internal sealed class WorkerGrain(IServiceProvider services) : Grain, IWorkerGrain
{
    private readonly EvaluationSlots? _slots = (EvaluationSlots?)services.GetService(typeof(EvaluationSlots));
    private readonly WorkerExit? _exit = (WorkerExit?)services.GetService(typeof(WorkerExit));
    private readonly Objectives.ObjectiveRegistry _objectives = (Objectives.ObjectiveRegistry)services.GetService(typeof(Objectives.ObjectiveRegistry))!;

    Task<WorkerDescription> IWorkerGrain.DescribeAsync() =>
        Task.FromResult(_slots?.Describe() ?? new WorkerDescription(this.GetPrimaryKeyString(), 0, _objectives.Offered, Accepting: false));

    Task IWorkerGrain.AnnounceWorkAsync(string runId)
    {
        _slots?.Announce(runId);
        return Task.CompletedTask;
    }

    Task<ImmutableArray<RunningJob>> IWorkerGrain.GetRunningJobsAsync(string runId) =>
        Task.FromResult(_slots?.RunningJobs(runId) ?? []);

    Task IWorkerGrain.CancelRunAsync(string runId)
    {
        _slots?.CancelRun(runId);
        return Task.CompletedTask;
    }

    Task IWorkerGrain.RunEndedAsync(string runId, RunEnding ending)
    {
        if (ending.ShutdownWorkers)
        {
            _exit?.RunEnded(runId);
        }

        _slots?.RunEnded(runId, ending);
        return Task.CompletedTask;
    }
}
