using System.Collections.Immutable;
using Orleans;

namespace HpBandSter.Orleans.Workers;

/// <summary>What a silo's worker offers: evaluation slots and objectives.</summary>
/// <param name="Worker">The worker's key (its silo's address).</param>
/// <param name="Slots">Evaluation slots; 0 on a silo that only hosts runs.</param>
/// <param name="Objectives">The objectives registered on the silo.</param>
/// <param name="Accepting">False once the silo is shutting down.</param>
/// <param name="LeavesByItself">The silo stops by itself (an idle timeout, or worker mode): runs are not placed on it.</param>
[GenerateSerializer, Immutable, Alias("HpBandSter.WorkerDescription")]
public sealed record WorkerDescription(
    [property: Id(0)] string Worker,
    [property: Id(1)] int Slots,
    [property: Id(2)] ImmutableArray<ObjectiveInfo> Objectives,
    [property: Id(3)] bool Accepting,
    [property: Id(4)] bool LeavesByItself = false);
