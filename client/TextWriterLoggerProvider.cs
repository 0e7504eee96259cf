using Microsoft.Extensions.Logging;

namespace HpBandSter.Client;

/// <summary>
/// Writes log entries as single lines (<c>warn: Category: message</c>) to a <see cref="TextWriter"/>, the CLI's
/// standard error, so that Orleans' own messages never mix with the run's output on standard output.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    private readonly Lock _lock = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var tag = level switch
        {
            LogLevel.Critical => "crit",
            LogLevel.Error => "fail",
            LogLevel.Warning => "warn",
            LogLevel.Information => "info",
            _ => "dbug",
        };
        lock (_lock)
        {
            writer.WriteLine($"{tag}: {category}: {message}");
            if (exception is not null)
            {
                writer.WriteLine($"      {exception.GetType().FullName}: {exception.Message}");
            }

            writer.Flush();
        }
    }

    private sealed class Logger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
