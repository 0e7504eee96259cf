using System.Diagnostics.Metrics;

namespace HpBandSter.Orleans.Diagnostics;

/// <summary>
/// The metrics of runs and workers, on the meter <see cref="MeterName"/> (System.Diagnostics.Metrics): any
/// listener sees them — OpenTelemetry with <c>AddMeter("HpBandSter.Orleans")</c>, <c>dotnet-counters monitor
/// --counters HpBandSter.Orleans</c>, or a <see cref="MeterListener"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>hpbandster.evaluations.started</c> (counter; tag <c>objective</c>): evaluations a worker started.</item>
/// <item><c>hpbandster.evaluations.finished</c> (counter; tags <c>objective</c>, <c>outcome</c> = completed, failed,
/// timed_out, cancelled, handed_back): evaluations a worker finished, however they ended.</item>
/// <item><c>hpbandster.results.recorded</c> (counter; tags <c>optimizer</c>, <c>crashed</c>): results runs recorded.</item>
/// <item><c>hpbandster.jobs.redispatched</c> (counter): jobs queued again because their silo died or handed them back.</item>
/// <item><c>hpbandster.jobs.queued</c> (up-down counter): jobs asked and waiting for a slot, over all active runs.</item>
/// <item><c>hpbandster.slots.total</c> and <c>hpbandster.slots.busy</c> (up-down counters): evaluation slots of the
/// silos in this process, and those running an evaluation.</item>
/// <item><c>hpbandster.ask.duration</c> (histogram, ms; tag <c>optimizer</c>): the optimizer's Ask, model-based
/// sampling included.</item>
/// </list>
/// </remarks>
public static class HpBandSterMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "HpBandSter.Orleans";

    private static readonly Meter Meter = new(MeterName, typeof(HpBandSterMetrics).Assembly.GetName().Version?.ToString());

    internal static Counter<long> EvaluationsStarted { get; } =
        Meter.CreateCounter<long>("hpbandster.evaluations.started", "{evaluation}", "Evaluations a worker started.");

    internal static Counter<long> EvaluationsFinished { get; } =
        Meter.CreateCounter<long>("hpbandster.evaluations.finished", "{evaluation}", "Evaluations a worker finished (tag outcome).");

    internal static Counter<long> ResultsRecorded { get; } =
        Meter.CreateCounter<long>("hpbandster.results.recorded", "{result}", "Results runs recorded (tag crashed).");

    internal static Counter<long> JobsRedispatched { get; } =
        Meter.CreateCounter<long>("hpbandster.jobs.redispatched", "{job}", "Jobs queued again after their silo died or handed them back.");

    internal static UpDownCounter<long> JobsQueued { get; } =
        Meter.CreateUpDownCounter<long>("hpbandster.jobs.queued", "{job}", "Jobs asked and waiting for a slot.");

    internal static UpDownCounter<long> SlotsTotal { get; } =
        Meter.CreateUpDownCounter<long>("hpbandster.slots.total", "{slot}", "Evaluation slots of the silos in this process.");

    internal static UpDownCounter<long> SlotsBusy { get; } =
        Meter.CreateUpDownCounter<long>("hpbandster.slots.busy", "{slot}", "Evaluation slots running an evaluation.");

    internal static Histogram<double> AskDuration { get; } =
        Meter.CreateHistogram<double>("hpbandster.ask.duration", "ms", "Duration of the optimizer's Ask.");
}
