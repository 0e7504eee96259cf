namespace HpBandSter.Logs;

/// <summary>A line of an HpBandSter log file that cannot be read, with the file and line it is on.</summary>
public sealed class LogFormatException : FormatException
{
    /// <summary>Creates the exception; the message is prefixed with the file and line.</summary>
    /// <param name="filePath">The log file.</param>
    /// <param name="lineNumber">The 1-based line number.</param>
    /// <param name="message">What is wrong, and how to fix it.</param>
    /// <param name="innerException">The underlying parse error, if any.</param>
    public LogFormatException(string filePath, int lineNumber, string message, Exception? innerException = null)
        : base($"{filePath}, line {lineNumber}: {message}", innerException)
    {
        FilePath = filePath;
        LineNumber = lineNumber;
    }

    /// <summary>The log file.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line number.</summary>
    public int LineNumber { get; }
}
