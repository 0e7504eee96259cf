namespace HpBandSter.Logs;

/// <summary>Something the log reader tolerated but that a user should know about.</summary>
/// <param name="FilePath">The log file.</param>
/// <param name="LineNumber">The 1-based line number.</param>
/// <param name="Message">What was tolerated and how.</param>
public sealed record LogWarning(string FilePath, int LineNumber, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{FilePath}, line {LineNumber}: {Message}";
}
