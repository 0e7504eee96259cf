using Microsoft.Extensions.Logging;

namespace HpBandSter.Orleans.Runs;

internal sealed partial class RunGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} started: {Optimizer} on {Objective}, seed {Seed}, {Planned} evaluations planned")]
    private partial void LogStarted(string runId, string optimizer, string objective, long seed, int planned);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} completed: {Runs} runs of {Configs} configurations ({Crashed} crashed) in {Seconds:0.###} s")]
    private partial void LogCompleted(string runId, int runs, int configs, int crashed, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} cancelled after {Runs} results")]
    private partial void LogCancelled(string runId, int runs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: job {Job} was on silo {Silo}, which membership declared dead; dispatching it again")]
    private partial void LogRedispatching(string runId, string job, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: job {Job} lost its silo {Silo} after {Retries} retries; recorded as crashed")]
    private partial void LogGaveUp(string runId, string job, string silo, int retries);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} rebuilt from its journal: {Runs} results recorded, {Pending} jobs outstanding, of which {Reclaimed} still run on their silos")]
    private partial void LogResumed(string runId, int runs, int pending, int reclaimed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: silo {Silo} did not say which of the run's jobs it runs; they are dispatched again")]
    private partial void LogReclaimFailed(Exception exception, string runId, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} resumed with {Additional} more iterations ({Planned} planned)")]
    private partial void LogResumedByClient(string runId, int additional, int planned);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: appending to the journal in the {Store} failed; the activation is dropped and rebuilt from the store on the next call")]
    private partial void LogJournalFailed(Exception exception, string runId, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} was deactivated while running ({Reason}); it is rebuilt from its journal on the next call")]
    private partial void LogDeactivatedWhileRunning(string runId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} cancelled: {MinSlots} slots (MinSlots) did not come within {Seconds} s")]
    private partial void LogGaveUpWaitingForSlots(string runId, int minSlots, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: its snapshot cannot be used ({Reason}); the run is rebuilt from its whole journal")]
    private partial void LogSnapshotUnusable(string runId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId}: snapshot at journal entry {Sequence} saved ({Bytes} bytes, {Milliseconds:0.0} ms)")]
    private partial void LogSnapshotSaved(string runId, long sequence, int bytes, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: saving the snapshot at journal entry {Sequence} failed; the journal still holds everything")]
    private partial void LogSnapshotFailed(Exception exception, string runId, long sequence);
}
