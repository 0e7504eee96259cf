namespace HpBandSter.Orleans.Storage;

/// <summary>One event of a run's journal.</summary>
/// <param name="Sequence">1, 2, 3, … per run, without gaps.</param>
/// <param name="Kind">What happened (for example <c>asked</c>, <c>told</c>, <c>cancelled</c>); at most 32 characters.</param>
/// <param name="Payload">The event's data as JSON.</param>
public sealed record JournalEntry(long Sequence, string Kind, string Payload);
