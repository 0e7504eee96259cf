using System.Diagnostics;
using System.Globalization;
using HpBandSter.Orleans.Runs;
using StoredSummary = HpBandSter.Orleans.Storage.RunSummary;

namespace HpBandSter.Client;

/// <summary>
/// Shows a run's progress while the CLI follows it: on a terminal one line rewritten in place (carriage return),
/// otherwise plain lines at most once per <see cref="PlainInterval"/> and a final one.
/// </summary>
/// <param name="writer">Where progress goes.</param>
/// <param name="terminal">Whether to rewrite one line in place.</param>
/// <param name="width">On a terminal, the longest line to write (longer ones are cut, as they would wrap).</param>
internal sealed class RunProgress(TextWriter writer, bool terminal, int width = int.MaxValue)
{
    /// <summary>The least time between two plain progress lines.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _lock = new();
    private readonly Stopwatch _sinceLast = new();
    private int _lastWidth;
    private bool _finished;

    /// <summary>Whether <paramref name="writer"/> is the process's standard error and that is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected)
        || (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected);

    /// <summary>Shows <paramref name="status"/> unless a line was shown too recently (an ended run's line is left to <see cref="Finish(RunStatus)"/>).</summary>
    public void Report(RunStatus status)
    {
        if (!status.IsEnded)
        {
            Report(Format(status));
        }
    }

    /// <summary>Shows a progress text unless a line was shown too recently.</summary>
    public void Report(string text)
    {
        lock (_lock)
        {
            if (_finished || (_sinceLast.IsRunning && _sinceLast.Elapsed < (terminal ? TerminalInterval : PlainInterval)))
            {
                return;
            }

            Show(text);
        }
    }

    /// <summary>Shows the final state (always) and ends the updating line.</summary>
    public void Finish(RunStatus status) => Finish(Format(status));

    /// <summary>Shows a final progress text (always) and ends the updating line.</summary>
    public void Finish(string text)
    {
        lock (_lock)
        {
            if (_finished)
            {
                return;
            }

            Show(text);
            if (terminal)
            {
                writer.WriteLine();
            }

            _finished = true;
            writer.Flush();
        }
    }

    /// <summary>Writes a message on a line of its own (ending an updating line first); progress goes on below it.</summary>
    public void Note(string message)
    {
        lock (_lock)
        {
            if (terminal && _lastWidth > 0)
            {
                writer.WriteLine();
                _lastWidth = 0;
            }

            writer.WriteLine(message);
            writer.Flush();
        }
    }

    /// <summary>The progress text of a status (no line break).</summary>
    public static string Format(RunStatus status)
    {
        var elapsed = status.ElapsedSeconds;
        var finished = status.Finished;
        var planned = status.EvaluationsPlanned;
        var rate = elapsed > 0 ? finished / elapsed : 0;
        var text = $"iterations {status.IterationsOpened} opened, {status.IterationsFinished} finished of {status.IterationsPlanned}"
            + $" | evaluations {finished}/{planned}, {status.Running} running, {status.Queued} queued"
            + (status.Crashed > 0 ? $", {status.Crashed} crashed" : string.Empty)
            + $" | {rate.ToString("0.0", CultureInfo.InvariantCulture)} eval/s"
            + $" | incumbent {(status.Incumbent is { } incumbent ? incumbent.Loss.ToString("G6", CultureInfo.InvariantCulture) : "-")}"
            + $" | elapsed {Duration(elapsed)}";
        if (status.State == RunState.Running)
        {
            text += finished > 0 && planned > finished ? $", remaining ~{Duration(elapsed / finished * (planned - finished))}" : ", remaining ?";
        }
        else
        {
            text += $" | {status.State.ToString().ToLowerInvariant()}";
        }

        return text;
    }

    /// <summary>
    /// The progress text of a run read from a run store's summary row (<c>watch</c> on an embedded store): what the
    /// row holds, evaluations, best loss, elapsed and remaining, and how long ago the store last changed.
    /// </summary>
    public static string Format(StoredSummary run, DateTimeOffset now)
    {
        var running = run.State == "running";
        var elapsed = Math.Max(0, ((running ? now : run.UpdatedAt) - run.CreatedAt).TotalSeconds);
        var rate = elapsed > 0 ? run.Finished / elapsed : 0;
        var text = $"evaluations {run.Finished}/{run.Planned}"
            + $" | {rate.ToString("0.0", CultureInfo.InvariantCulture)} eval/s"
            + $" | incumbent {(run.BestLoss is { } best ? best.ToString("G6", CultureInfo.InvariantCulture) : "-")}"
            + $" | elapsed {Duration(elapsed)}";
        if (running)
        {
            text += run.Finished > 0 && run.Planned > run.Finished ? $", remaining ~{Duration(elapsed / run.Finished * (run.Planned - run.Finished))}" : ", remaining ?";
            text += $" | store updated {Duration(Math.Max(0, (now - run.UpdatedAt).TotalSeconds))} ago";
        }
        else
        {
            text += $" | {run.State}";
        }

        return text;
    }

    private void Show(string text)
    {
        if (terminal)
        {
            // A line longer than the terminal would wrap, and the carriage return would then rewrite only its end.
            if (width > 10 && text.Length > width)
            {
                text = text[..(width - 3)] + "...";
            }

            writer.Write('\r' + text.PadRight(_lastWidth));
            _lastWidth = text.Length;
        }
        else
        {
            writer.WriteLine(text);
        }

        writer.Flush();
        _sinceLast.Restart();
    }

    /// <summary>The console's width less one (0 when unknown).</summary>
    public static int TerminalWidth()
    {
        try
        {
            return Math.Max(0, Console.WindowWidth - 1);
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static string Duration(double seconds)
    {
        var time = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return time.TotalHours >= 1
            ? $"{(int)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}"
            : $"{time.Minutes:00}:{time.Seconds:00}";
    }
}
