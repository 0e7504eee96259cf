using HpBandSter.Optimizers;
using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>A job's id on the wire: HpBandSter's config id <c>(iteration, stage, index)</c> and the budget.</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.WireJobKey")]
public readonly record struct WireJobKey(
    [property: Id(0)] int Iteration,
    [property: Id(1)] int Stage,
    [property: Id(2)] int Index,
    [property: Id(3)] double Budget)
{
    /// <summary>The Core key.</summary>
    public JobKey ToJobKey() => new(new ConfigId(Iteration, Stage, Index), Budget);

    /// <summary>The wire form of a Core key.</summary>
    public static WireJobKey From(JobKey key) => new(key.Id.Iteration, key.Id.Stage, key.Id.Index, key.Budget);

    /// <inheritdoc />
    public override string ToString() => ToJobKey().ToString();
}
