using Microsoft.Extensions.Logging;

namespace HpBandSter.Orleans.Workers;

internal sealed partial class EvaluationSlots
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} offers {Slots} slots for objectives: {Objectives}")]
    private partial void LogStarted(string worker, int slots, string objectives);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo shutting down: handing back {Count} running jobs")]
    private partial void LogHandingBack(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not every handed-back job was acknowledged before the hand-back timeout; their runs re-dispatch them when membership declares this silo dead")]
    private partial void LogHandBackIncomplete();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach run {RunId} with {Reports} reports (failure {Failures}); retrying")]
    private partial void LogExchangeFailed(Exception exception, string runId, int reports, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning up after run {RunId} (objective {Objective}) failed")]
    private partial void LogRunEndFailed(Exception exception, string runId, string objective);
}
