namespace HpBandSter.Benchmarks;

/// <summary>One measured run of the <c>dispatch</c> suite.</summary>
/// <param name="Slots">Evaluation slots on the silo.</param>
/// <param name="Evaluations">Results recorded (the run's <c>Finished</c>).</param>
/// <param name="Seconds">The run grain's elapsed time from the start of the run to its completion.</param>
/// <param name="SteadyPerSecond">Results per second after the first second (from the results' finish times), or NaN for runs under two seconds.</param>
/// <param name="LastSecondPerSecond">Results in the run's last second, or NaN for runs under two seconds.</param>
/// <param name="CpuMicrosecondsPerEvaluation">The process's CPU time (all threads) during the run per result, in microseconds: less sensitive than wall time to other processes on the machine.</param>
/// <param name="StartCallMs">How long <c>StartRunAsync</c> took, in milliseconds.</param>
/// <param name="FirstResultMs">From calling <c>StartRunAsync</c> to the first recorded result, as the client sees it (a long poll), in milliseconds.</param>
/// <param name="FirstResultGrainMs">The first result's finish time on the run grain's clock, in milliseconds.</param>
internal sealed record DispatchMeasurement(
    int Slots,
    int Evaluations,
    double Seconds,
    double SteadyPerSecond,
    double LastSecondPerSecond,
    double CpuMicrosecondsPerEvaluation,
    double StartCallMs,
    double FirstResultMs,
    double FirstResultGrainMs)
{
    /// <summary>Results per second over the whole run.</summary>
    public double PerSecond => Evaluations / Seconds;
}
