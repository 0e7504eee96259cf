using HpBandSter.Orleans.Runs;
using Orleans;

namespace HpBandSter.Orleans.Tests;

/// <summary>Follows a run's changes until a condition holds, failing with its last status at a deadline.</summary>
internal static class RunWait
{
    /// <summary>
    /// Waits until <paramref name="condition"/> holds for <paramref name="runId"/>'s status; fails, saying what was
    /// awaited and the last status, after <see cref="ClusterFixture.Deadline"/> or when the run ended without it.
    /// </summary>
    public static async Task<RunStatus> UntilAsync(IGrainFactory grains, string runId, Func<RunStatus, bool> condition, string what)
    {
        var grain = grains.GetGrain<IRunGrain>(runId);
        using var deadline = new CancellationTokenSource(ClusterFixture.Deadline);
        var status = await grain.GetStatusAsync();
        while (!condition(status))
        {
            if (deadline.IsCancellationRequested || status.IsEnded)
            {
                Assert.Fail($"Run {runId}: waited for '{what}', but got {status with { Spec = null }} (running by silo: {string.Join(", ", status.RunningBySilo.Select(kv => $"{kv.Key} {kv.Value}"))})");
            }

            status = await grain.WaitForChangeAsync(status.Finished, TimeSpan.FromMilliseconds(200));
        }

        return status;
    }
}
