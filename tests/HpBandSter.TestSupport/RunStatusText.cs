using HpBandSter.Orleans.Runs;

namespace HpBandSter.TestSupport;

/// <summary>A run's status on one line, for progress output and failure messages.</summary>
public static class RunStatusText
{
    /// <summary>State, counts, free slots, host, running jobs by silo and elapsed time; <c>(none)</c> for null.</summary>
    public static string Describe(RunStatus? s) => s is null
        ? "(none)"
        : $"state={s.State} finished={s.Finished}/{s.EvaluationsPlanned} queued={s.Queued} running={s.Running} crashed={s.Crashed} " +
          $"redispatched={s.Redispatched} slots={s.SlotsAvailable} host={s.Host} bySilo=[{string.Join(", ", s.RunningBySilo.Select(kv => $"{kv.Key}={kv.Value}"))}] elapsed={s.ElapsedSeconds:0.00}s";
}
