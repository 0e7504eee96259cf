using HpBandSter.Orleans.Workers;
using Orleans;
using Orleans.Concurrency;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// One optimization run: owns its optimizer (iterations, brackets, model), its queued and running jobs and its
/// results. Keyed by the run id. No call waits for an evaluation.
/// </summary>
[Alias("HpBandSter.IRunGrain")]
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run; refused (with the reason) when the specification is invalid, the objective is not offered, or a run with this id exists.</summary>
    [Alias("Start")]
    Task<RunStartResult> StartAsync(RunSpec spec);

    /// <summary>The run's status.</summary>
    [Alias("GetStatus"), AlwaysInterleave]
    Task<RunStatus> GetStatusAsync();

    /// <summary>The run's whole specification, warm-start data included (its search space filled in); null when there is no such run.</summary>
    [Alias("GetSpec"), AlwaysInterleave]
    Task<RunSpec?> GetSpecAsync();

    /// <summary>Configurations and results from <paramref name="from"/> on, at most <paramref name="maxRuns"/> results.</summary>
    [Alias("GetResults"), AlwaysInterleave]
    Task<ResultsPage> GetResultsAsync(ResultsCursor from, int maxRuns);

    /// <summary>
    /// Waits until the run has more than <paramref name="knownRuns"/> results or has ended, at most
    /// <paramref name="maxWait"/>, and returns its status (a long poll for watching).
    /// </summary>
    [Alias("WaitForChange"), AlwaysInterleave]
    Task<RunStatus> WaitForChangeAsync(int knownRuns, TimeSpan maxWait);

    /// <summary>Cancels the run: nothing more is dispatched, running evaluations are cancelled, the run keeps its results.</summary>
    [Alias("Cancel")]
    Task<RunStatus> CancelAsync();

    /// <summary>
    /// Resumes a cancelled run, or extends a run by <paramref name="additionalIterations"/> more iterations
    /// (HpBandSter's <c>run()</c> called again; they are numbered after the existing ones).
    /// </summary>
    [Alias("Resume")]
    Task<RunStatus> ResumeAsync(int additionalIterations);

    /// <summary>A worker reports results (acknowledged by returning) and offers free slots.</summary>
    [Alias("Exchange")]
    Task<ExchangeReply> ExchangeAsync(ExchangeRequest request);

    /// <summary>The cluster changed (silos joined, died or described themselves): re-dispatch lost jobs, use new slots.</summary>
    [Alias("ClusterChanged"), OneWay]
    Task ClusterChangedAsync();
}
