using HpBandSter.Orleans.Runs;
using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>A worker's report of one evaluation, sent to the run until the run acknowledges it.</summary>
/// <param name="Key">The job.</param>
/// <param name="Attempt">The attempt the report belongs to (see <see cref="JobTicket.Attempt"/>).</param>
/// <param name="Kind">How the evaluation ended.</param>
/// <param name="Loss">The loss, for <see cref="JobReportKind.Completed"/>.</param>
/// <param name="InfoJson">The objective's info as JSON, or null.</param>
/// <param name="Error">The error text for anything but a completed evaluation.</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.JobReport")]
public sealed record JobReport(
    [property: Id(0)] WireJobKey Key,
    [property: Id(1)] int Attempt,
    [property: Id(2)] JobReportKind Kind,
    [property: Id(3)] double? Loss,
    [property: Id(4)] string? InfoJson,
    [property: Id(5)] string? Error);
