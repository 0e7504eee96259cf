namespace HpBandSter.Orleans.Workers;

/// <summary>One running evaluation: its ticket, its cancellation, and the guarantee that it is reported once.</summary>
internal sealed class Evaluation(JobTicket ticket, CancellationTokenSource cancellation, Action<Evaluation> reportEarly) : IDisposable
{
    private int _reported;
    private int _reason = -1;
    private Timer? _timeout;

    public JobTicket Ticket { get; } = ticket;

    /// <summary>When it started (<see cref="Environment.TickCount64"/>).</summary>
    public long StartedAtMs { get; } = Environment.TickCount64;

    public CancellationTokenSource Cancellation { get; } = cancellation;

    /// <summary>Why the evaluation was cancelled, or null.</summary>
    public JobReportKind? CancelReason => Volatile.Read(ref _reason) is var r and >= 0 ? (JobReportKind)r : null;

    /// <summary>Whether the report was made.</summary>
    public bool Reported => Volatile.Read(ref _reported) != 0;

    /// <summary>Cancels the evaluation for <paramref name="reason"/> (the first reason wins) and reports it at once.</summary>
    public void Cancel(JobReportKind reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, -1) != -1)
        {
            return;
        }

        try
        {
            Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished meanwhile; its own report stands.
        }

        reportEarly(this);
    }

    /// <summary>Cancels with <see cref="JobReportKind.TimedOut"/> after <paramref name="timeout"/>.</summary>
    public void ArmTimeout(TimeSpan timeout) =>
        _timeout = new Timer(static state => ((Evaluation)state!).Cancel(JobReportKind.TimedOut), this, timeout, Timeout.InfiniteTimeSpan);

    /// <summary>The report, the first time only; null afterwards.</summary>
    public JobReport? Finish(JobReportKind kind, double? loss, string? infoJson, string? error) =>
        Interlocked.Exchange(ref _reported, 1) == 0 ? new JobReport(Ticket.Key, Ticket.Attempt, kind, loss, infoJson, error) : null;

    public void Dispose()
    {
        _timeout?.Dispose();
        Cancellation.Dispose();
    }
}
