namespace HpBandSter.Client.Tests;

/// <summary>Runs the CLI in-process, capturing what it writes.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = Cli.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs the CLI with the given writers and a token that stands for Ctrl+C.</summary>
    public static int Run(TextWriter output, TextWriter error, CancellationToken cancellationToken, params string[] args) =>
        Cli.Run(args, output, error, cancellationToken);
}
