using System.CommandLine;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Client;

/// <summary>
/// <c>hpbandster resume RUN</c>: brings a run back and follows it to its end — a run interrupted by a crash (it
/// rebuilds from its journal), a cancelled run, or a finished run extended by <c>--iterations</c> more iterations
/// (HpBandSter's <c>run()</c> called again).
/// </summary>
internal static class ResumeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var runId = new Argument<string>("run") { Description = "The id of the run to resume." };
        var iterations = new Option<int>("--iterations")
        {
            Description = "More iterations to add, numbered after the existing ones (0: only finish what was planned).",
            DefaultValueFactory = _ => 0,
        };
        iterations.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"{iterations.Name} must be 0 or more (got {r.GetValueOrDefault<int>()}).");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the summary instead of text, and no progress." };
        var output = new Option<string?>("--out")
        {
            Description = "Directory for HpBandSter's live logs (configs.json, results.json, configspace.json), written while the run goes on. "
                + "Logs of this run already there (from a 'run --out' that stopped) are continued without repeating a line; another run's logs are refused.",
        };
        var session = new SessionOptions("Resume");
        var command = new Command("resume", "Resume a run after a crash or a cancel, or extend a finished run by more iterations, and follow it to its end (Ctrl+C cancels it again).")
        {
            runId, iterations, output, json,
        };
        session.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            if (session.Check(parseResult, command) is not { } target)
            {
                return Cli.UsageError;
            }

            var id = parseResult.GetValue(runId)!;
            var extra = parseResult.GetValue(iterations);
            return await session.WithRunAsync(
                parseResult,
                target,
                id,
                async (opened, status) =>
                {
                    var follow = new RunFollower(stdout, stderr, parseResult.GetValue(json), LiveRunSpace.Problem(status))
                    {
                        OutDirectory = parseResult.GetValue(output),
                        ConfigSpaceJson = LiveRunSpace.Json(status),
                    };

                    // A directory holding another run's logs is refused before the run is touched.
                    var logOpened = await follow.OpenLogAsync(opened, id, cancellationToken);
                    if (logOpened != 0)
                    {
                        return logOpened;
                    }

                    if (status.State != RunState.Running || extra > 0)
                    {
                        status = await opened.Client.ResumeAsync(id, extra);
                    }

                    if (!parseResult.GetValue(json))
                    {
                        stdout.WriteLine($"run {id}: resumed, {status.Finished} of {status.EvaluationsPlanned} evaluations recorded, {status.IterationsPlanned} iterations planned; {opened.Description}");
                        stdout.Flush();
                    }

                    return await follow.FollowAsync(opened, id, cancellationToken);
                },
                cancellationToken);
        });
        return command;
    }
}
