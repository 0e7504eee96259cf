namespace HpBandSter;

/// <summary>The position of a <see cref="RandomSource"/>: its four xoshiro256** state words.</summary>
public readonly record struct RandomState(ulong S0, ulong S1, ulong S2, ulong S3);
