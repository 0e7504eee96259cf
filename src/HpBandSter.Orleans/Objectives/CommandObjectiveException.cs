namespace HpBandSter.Orleans.Objectives;

/// <summary>
/// A command objective's job failed (non-zero exit, malformed or missing result, timeout). Its text is the run's
/// error text for the crashed job, so <see cref="ToString"/> is the message alone, without a .NET stack trace.
/// </summary>
public sealed class CommandObjectiveException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CommandObjectiveException()
    {
    }

    /// <summary>Creates the exception with its message (the crashed job's error text).</summary>
    public CommandObjectiveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public CommandObjectiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The message alone: the worker records an objective's exception text as the crashed job's error.</summary>
    public override string ToString() => Message;
}
