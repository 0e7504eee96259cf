using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace HpBandSter.Orleans.Runs;

/// <summary>The answer to starting a run: accepted with its status, or refused with a message naming what is wrong.</summary>
[GenerateSerializer, Immutable, Alias("HpBandSter.RunStartResult")]
public sealed record RunStartResult
{
    /// <summary>The run's status when accepted.</summary>
    [Id(0)] public RunStatus? Status { get; init; }

    /// <summary>Why the run was refused, naming the field or the missing objective.</summary>
    [Id(1)] public string? Error { get; init; }

    /// <summary>Whether the run was accepted.</summary>
    [MemberNotNullWhen(true, nameof(Status))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Accepted => Status is not null;

    /// <summary>An accepted run.</summary>
    public static RunStartResult Started(RunStatus status) => new() { Status = status };

    /// <summary>A refused run.</summary>
    public static RunStartResult Refused(string error) => new() { Error = error };
}
