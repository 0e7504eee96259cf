using HpBandSter.Orleans.Runs;
using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>What a run tells the workers of its objective when it has ended.</summary>
/// <param name="Objective">The run's objective: its job directories follow that objective's retention setting.</param>
/// <param name="Completed">The run completed (not cancelled): its job directories can be cleaned for good.</param>
/// <param name="ShutdownWorkers">The run asked its workers to shut down (<c>RunSpec.ShutdownWorkers</c>).</param>
/// <param name="Incumbent">The run's incumbent job (lowest loss on the largest budget), null when nothing finished.</param>
/// <param name="Finished">The results the run recorded (a silo notes it beside the run's job directories once tidied).</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.RunEnding")]
public sealed record RunEnding(
    [property: Id(0)] string Objective,
    [property: Id(1)] bool Completed,
    [property: Id(2)] bool ShutdownWorkers,
    [property: Id(3)] WireJobKey? Incumbent,
    [property: Id(4)] int Finished = 0);
