using Microsoft.Extensions.Logging;

namespace HpBandSter.Orleans.Runs;

internal sealed partial class ClusterDirectory
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} offers {Slots} slots for objectives: {Objectives}")]
    private partial void LogSiloDescribed(string silo, int slots, string objectives);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership declared silo {Silo} dead; its jobs are dispatched again")]
    private partial void LogSiloDead(string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} left the cluster (stopped gracefully)")]
    private partial void LogSiloLeft(string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} did not describe its worker after 3 attempts; still trying")]
    private partial void LogDescribeFailed(Exception exception, string silo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching cluster membership failed")]
    private partial void LogWatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not tell run {RunId} about a cluster change")]
    private partial void LogNotifyFailed(Exception exception, string runId);
}
