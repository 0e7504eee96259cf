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
        var session = new SessionOptions("Resume");
        var command = new Command("resume", "Resume a run after a crash or a cancel, or extend a finished run by more iterations, and follow it to its end.")
        {
            runId, iterations, json,
        };
        foreach (var option in session.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var (ports, sessionError) = session.Check(parseResult);
            if (sessionError is not null)
            {
                return Cli.ReportUsageError(command, stderr, sessionError);
            }

            var id = parseResult.GetValue(runId)!;
            var extra = parseResult.GetValue(iterations);
            var opened = await session.OpenAsync(parseResult, ports, stderr, cancellationToken);
            if (opened is null)
            {
                return 1;
            }

            await using (opened)
            {
                try
                {
                    var status = await opened.Client.GetStatusAsync(id);
                    if (status.State == RunState.Unknown)
                    {
                        var where = parseResult.GetValue(session.Cluster) ? "on the cluster" : $"in the data directory '{parseResult.GetValue(session.DataDir)}'";
                        stderr.WriteLine($"error: there is no run '{id}' {where}.");
                        return Cli.UsageError;
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

                    return await new RunFollower(stdout, stderr, parseResult.GetValue(json), problem: null).FollowAsync(opened, id, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    stderr.WriteLine($"error: run {id}: {e.Message}");
                    return 1;
                }
            }
        });
        return command;
    }
}
