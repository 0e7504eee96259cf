namespace HpBandSter.Silo;

/// <summary>An invalid option value; the message names the option.</summary>
internal sealed class UsageException(string message) : Exception(message);
