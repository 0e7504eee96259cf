using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HpBandSter.Benchmarks;

/// <summary>
/// The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>, nanosecond resolution): unlike wall time it
/// does not grow while other processes hold the cores, so overhead figures stay comparable on a busy machine.
/// Elsewhere it falls back to wall time (<see cref="IsThreadCpuTime"/> is false).
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>Whether <see cref="NowMilliseconds"/> is the thread's CPU time (true on Linux).</summary>
    public static bool IsThreadCpuTime { get; } = OperatingSystem.IsLinux() && TryRead(out _);

    /// <summary>The thread's CPU time in milliseconds, or a wall-clock reading where that is not available.</summary>
    public static double NowMilliseconds() =>
        IsThreadCpuTime && TryRead(out var ms) ? ms : Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;

    private static bool TryRead(out double milliseconds)
    {
        milliseconds = 0;
        try
        {
            if (clock_gettime(ClockThreadCpuTimeId, out var ts) != 0)
            {
                return false;
            }

            milliseconds = (ts.Seconds * 1000.0) + (ts.Nanoseconds / 1e6);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_gettime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
