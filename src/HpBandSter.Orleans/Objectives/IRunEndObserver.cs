using HpBandSter.Optimizers;
using Microsoft.Extensions.Logging;

namespace HpBandSter.Orleans.Objectives;

/// <summary>An objective that tidies up after a run has completed (a command objective's job-directory retention).</summary>
internal interface IRunEndObserver
{
    /// <summary>
    /// The file <see cref="Workers.CompletedRunSweep"/> leaves in a run directory once the run's retention was applied,
    /// holding the number of results the run had then (a run extended since and completed again is tidied again).
    /// </summary>
    const string TidiedMarker = ".retention-applied";

    /// <summary>Whether <see cref="OnRunCompleted"/> may delete anything (false when every directory is kept).</summary>
    bool TidiesRunDirectories { get; }

    /// <summary>
    /// The run <paramref name="runId"/> completed; <paramref name="runDirectory"/> is this silo's
    /// <c>jobs/&lt;run&gt;</c> directory (it may not exist) and <paramref name="incumbent"/> the run's incumbent job.
    /// Called off any grain's turn.
    /// </summary>
    void OnRunCompleted(string runId, string runDirectory, JobKey? incumbent, ILogger logger);
}
