using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace HpBandSter.Client;

/// <summary>The <c>hpbandster</c> command line: builds the commands and runs one invocation.</summary>
internal static class Cli
{
    /// <summary>Exit code for invalid arguments (a usage error).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code after Ctrl+C (SIGINT), as shells report it: 128 + 2.</summary>
    public const int Interrupted = 130;

    /// <summary>How long a command may take to wind down after Ctrl+C before the process exits anyway.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(20);

    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("hpbandster: BOHB, HyperBand, RandomSearch and H2BO (HpBandSter's optimizers) on an Orleans cluster.");
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ResumeCommand.Create());
        root.Subcommands.Add(WatchCommand.Create());
        root.Subcommands.Add(CancelCommand.Create());
        root.Subcommands.Add(StoreCommands.CreateList());
        root.Subcommands.Add(StoreCommands.CreateStatus());
        root.Subcommands.Add(Analysis.ExportCommand.Create());
        root.Subcommands.Add(Analysis.AnalyzeCommand.Create());
        root.Subcommands.Add(Plots.PlotCommand.Create());
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>, writing to the given writers. Argument errors are printed to
    /// <paramref name="error"/>, each naming its option, and give exit code <see cref="UsageError"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, handleCtrlC: false, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// Parses and runs <paramref name="args"/> as <see cref="Run"/> does. With <paramref name="handleCtrlC"/>, Ctrl+C
    /// (SIGINT) and SIGTERM cancel the command's token, and the command gets <see cref="TerminationGrace"/> to cancel
    /// its run and print what it has; <paramref name="cancellationToken"/> does the same from code (tests).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool handleCtrlC, CancellationToken cancellationToken = default)
    {
        var parseResult = BuildRootCommand().Parse(args);
        if (parseResult.Errors.Count > 0 && parseResult.Action is not HelpAction)
        {
            foreach (var parseError in parseResult.Errors)
            {
                error.WriteLine($"error: {Describe(parseError)}");
            }

            return UsageErrorHint(parseResult.CommandResult.Command, error);
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = handleCtrlC ? TerminationGrace : null,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>Prints a usage error and the hint to the command's help; returns <see cref="UsageError"/>.</summary>
    public static int ReportUsageError(Command command, TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return UsageErrorHint(command, error);
    }

    /// <summary>An argument exception's message without the " (Parameter 'x')" suffix .NET appends.</summary>
    public static string MessageWithoutParameter(ArgumentException exception)
    {
        var message = exception.Message;
        var suffix = $" (Parameter '{exception.ParamName}')";
        var at = exception.ParamName is null ? -1 : message.IndexOf(suffix, StringComparison.Ordinal);
        return at >= 0 ? message[..at] : message;
    }

    private static int UsageErrorHint(Command command, TextWriter error)
    {
        var path = command is RootCommand ? "hpbandster" : $"hpbandster {command.Name}";
        error.WriteLine($"Run '{path} --help' for usage.");
        return UsageError;
    }

    private static string Describe(ParseError parseError)
    {
        var message = parseError.Message.Replace("\r", string.Empty).Replace("\n\t", " ").Replace('\n', ' ');
        if (parseError.SymbolResult is OptionResult { Option: var option } && !message.Contains(option.Name, StringComparison.Ordinal))
        {
            message = $"{option.Name}: {message}";
        }

        return message;
    }
}
