using System.CommandLine;
using System.Text;
using System.Text.Json;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Client;

/// <summary>
/// <c>hpbandster cancel RUN</c>: cancels a run on a cluster (nothing more is dispatched, running evaluations are
/// cancelled, the run keeps its results and can be resumed). An embedded run lives in the process that runs it, so
/// without a cluster the command only says where the run stands.
/// </summary>
internal static class CancelCommand
{
    /// <summary>Exit code when the run cannot be cancelled from here (an embedded run still running in its own process).</summary>
    public const int NotCancellable = 1;

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var runId = new Argument<string>("run") { Description = "The id of the run to cancel." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (run_id, state, finished, planned) instead of text." };
        var session = new SessionOptions("Cancel");
        session.DataDir.Description = "Without --cluster or --postgres: the embedded data directory to look the run up in (an embedded run cannot be cancelled from "
            + "another process: it stops, resumable, when its 'hpbandster run' process stops, e.g. on Ctrl+C there).";
        var command = new Command(
            "cancel",
            "Cancel a run on a cluster (--cluster or --postgres): nothing more is dispatched, running evaluations are cancelled, the run keeps its results "
            + "('hpbandster resume RUN' continues it). Prints the run's new state; exit code 0, or "
            + $"{Cli.UsageError} for an unknown run. An embedded run is stopped by stopping its 'hpbandster run' process; here it is only reported "
            + $"(exit code {NotCancellable} while its store says it is running).")
        {
            runId, json,
        };
        session.AddTo(command, startsSilo: false);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            if (session.Check(parseResult, command) is not { } target)
            {
                return Cli.UsageError;
            }

            var id = parseResult.GetValue(runId)!;
            var asJson = parseResult.GetValue(json);
            if (!session.IsCluster(parseResult))
            {
                return await ReportEmbeddedAsync(id, parseResult.GetValue(session.DataDir)!, asJson, stdout, stderr, cancellationToken);
            }

            return await session.WithRunAsync(
                parseResult,
                target,
                id,
                async (opened, before) =>
                {
                    var after = before.State == RunState.Running ? await opened.Client.CancelAsync(id) : before;
                    var state = after.State.ToString().ToLowerInvariant();
                    if (asJson)
                    {
                        stdout.WriteLine(Json(id, state, after.Finished, after.EvaluationsPlanned));
                    }
                    else if (before.State == RunState.Running)
                    {
                        stdout.WriteLine($"run {id}: {state} after {after.Finished} of {after.EvaluationsPlanned} evaluations; it keeps its results ('hpbandster resume {id}' continues it).");
                    }
                    else
                    {
                        stdout.WriteLine($"run {id}: already {state} ({after.Finished} of {after.EvaluationsPlanned} evaluations); nothing to cancel.");
                    }

                    return 0;
                },
                cancellationToken,
                unknownRunNote: "; nothing was cancelled");
        });
        return command;
    }

    private static async Task<int> ReportEmbeddedAsync(string id, string dataDirectory, bool asJson, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        await using var store = LiveStore.Open(dataDirectory);
        HpBandSter.Orleans.Storage.RunSummary? run;
        try
        {
            run = store is null ? null : await store.FindAsync(id, cancellationToken);
        }
        catch (RunStoreException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }

        if (run is null)
        {
            stderr.WriteLine($"error: there is no run '{id}' in the data directory '{dataDirectory}'; nothing was cancelled.");
            return Cli.UsageError;
        }

        if (asJson)
        {
            stdout.WriteLine(Json(id, run.State, run.Finished, run.Planned));
        }

        if (run.State != "running")
        {
            if (!asJson)
            {
                stdout.WriteLine($"run {id}: already {run.State} ({run.Finished} of {run.Planned} evaluations); nothing to cancel.");
            }

            return 0;
        }

        stderr.WriteLine(
            $"run {id} is an embedded run ({run.Finished} of {run.Planned} evaluations recorded): it runs inside the 'hpbandster run' (or 'resume') process "
            + "that started it and cannot be cancelled from another process. Press Ctrl+C in that process to cancel it; if no such process is running, "
            + $"the run is already stopped, and 'hpbandster resume {id} --data-dir {dataDirectory}' continues it. "
            + "'cancel' cancels runs on a cluster (--cluster or --postgres).");
        return NotCancellable;
    }

    private static string Json(string id, string state, int finished, int planned)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("run_id", id);
            w.WriteString("state", state);
            w.WriteNumber("finished", finished);
            w.WriteNumber("planned", planned);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
