using System.CommandLine;
using System.Globalization;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using StoredSummary = HpBandSter.Orleans.Storage.RunSummary;

namespace HpBandSter.Client;

/// <summary>
/// <c>hpbandster watch RUN</c>: follows a run that something else runs (another client, a killed client's run on a
/// cluster, or another <c>hpbandster run</c> process on the same data directory) with the progress display until it
/// ends, then prints the same summary as <c>run</c>. Never changes the run: Ctrl+C only stops watching.
/// </summary>
internal static class WatchCommand
{
    /// <summary>Exit code when the run was cancelled.</summary>
    public const int RunCancelled = 1;

    /// <summary>Exit code when <c>--timeout</c> passed first (as coreutils' <c>timeout</c>).</summary>
    public const int TimedOut = 124;

    private static readonly TimeSpan StorePollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var runId = new Argument<string>("run") { Description = "The id of the run to watch." };
        var output = new Option<string?>("--out")
        {
            Description = "Directory for HpBandSter's live logs (configs.json, results.json, configspace.json). On a cluster they are written while the run "
                + "goes on; from an embedded data directory when the run ends. Logs of this run already there (a 'run --out' whose client stopped) are "
                + "continued without repeating a line; another run's logs are refused.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the summary (as 'run --json') instead of text, and no progress." };
        var timeout = new Option<double?>("--timeout") { Description = $"Stop watching after this many seconds (exit code {TimedOut}); the run goes on. Default: until the run ends." };
        var stallWarning = new Option<double>("--stall-warning")
        {
            Description = "Embedded data directory only: after this many seconds without a new result, say that no process may be running the run and how to resume it (watching goes on).",
            DefaultValueFactory = _ => 60.0,
        };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } v && (!double.IsFinite(v) || v <= 0))
            {
                r.AddError($"{timeout.Name} must be a positive number of seconds (got {v.ToString("R", CultureInfo.InvariantCulture)}).");
            }
        });
        stallWarning.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (!double.IsFinite(v) || v <= 0)
            {
                r.AddError($"{stallWarning.Name} must be a positive number of seconds (got {v.ToString("R", CultureInfo.InvariantCulture)}).");
            }
        });

        var session = new SessionOptions("Watch");
        session.DataDir.Description = "The embedded data directory whose runs.db to watch (read only; another 'hpbandster run' or 'resume' process runs the run). Not with --cluster or --postgres.";
        var command = new Command(
            "watch",
            "Follow a run that another process runs (on a cluster, or an embedded data directory another 'hpbandster run' uses) until it ends, with progress, "
            + $"then print its summary as 'run' does. Exit code 0 when it completed, {RunCancelled} when it was cancelled, {Cli.UsageError} for an unknown run, "
            + $"{TimedOut} after --timeout. Ctrl+C stops watching; the run goes on.")
        {
            runId, output, json, timeout, stallWarning,
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

            if (parseResult.GetResult(stallWarning) is { Implicit: false } && session.IsCluster(parseResult))
            {
                return Cli.ReportUsageError(command, stderr, $"{stallWarning.Name} applies to an embedded data directory only; a cluster keeps its runs going itself.");
            }

            var id = parseResult.GetValue(runId)!;
            var asJson = parseResult.GetValue(json);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (parseResult.GetValue(timeout) is { } seconds)
            {
                deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            var watch = new Watch(id, stdout, stderr, asJson, parseResult.GetValue(output));
            int exit;
            try
            {
                exit = session.IsCluster(parseResult)
                    ? await watch.OnClusterAsync(session, parseResult, target, deadline.Token)
                    : await watch.OnStoreAsync(parseResult.GetValue(session.DataDir)!, TimeSpan.FromSeconds(parseResult.GetValue(stallWarning)), deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                exit = Cli.Interrupted;
            }

            if (exit == Cli.Interrupted && !cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                stderr.WriteLine($"Stopped watching run {id} after --timeout {parseResult.GetValue(timeout)!.Value.ToString("R", CultureInfo.InvariantCulture)} s; it had not ended.");
                return TimedOut;
            }

            return exit;
        });
        return command;
    }

    private sealed class Watch(string id, TextWriter stdout, TextWriter stderr, bool json, string? outDirectory)
    {
        public Task<int> OnClusterAsync(SessionOptions session, ParseResult parseResult, ClusterTarget target, CancellationToken cancellationToken) =>
            session.WithRunAsync(
                parseResult,
                target,
                id,
                (opened, status) =>
                {
                    Header(status, opened.Description);
                    return FollowAsync(opened, status, showProgress: true, cancellationToken);
                },
                cancellationToken,
                failureContext: "lost contact with the cluster: ");

        public async Task<int> OnStoreAsync(string dataDirectory, TimeSpan stallWarning, CancellationToken cancellationToken)
        {
            await using var store = LiveStore.Open(dataDirectory);
            StoredSummary? run;
            try
            {
                run = store is null ? null : await store.FindAsync(id, cancellationToken);
            }
            catch (RunStoreException e)
            {
                // As a failed read while following: the store exists but cannot be read (locked, corrupt, not SQLite).
                stderr.WriteLine($"error: run {id}: {e.Message}");
                return 1;
            }

            if (store is null || run is null)
            {
                stderr.WriteLine($"error: there is no run '{id}' in the data directory '{dataDirectory}'.");
                return Cli.UsageError;
            }

            if (!json)
            {
                stdout.WriteLine($"watching run {id}: {run.Optimizer} on {run.Objective}, {run.Finished} of {run.Planned} evaluations recorded, {run.State}; store {store.Path} (read only)");
                stdout.Flush();
            }

            var terminal = RunProgress.IsTerminal(stderr);
            var progress = json ? null : new RunProgress(stderr, terminal, terminal ? RunProgress.TerminalWidth() : int.MaxValue);
            var lastChange = DateTimeOffset.UtcNow;
            var warned = false;
            try
            {
                while (run.State == "running")
                {
                    var now = DateTimeOffset.UtcNow;
                    progress?.Report(RunProgress.Format(run, now));
                    if (!warned && now - lastChange >= stallWarning)
                    {
                        warned = true;
                        var note = $"note: run {id} has recorded nothing for {stallWarning.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s. If no 'hpbandster run' or "
                            + $"'resume' process is running it (a run stops with its process), continue it with: hpbandster resume {id} --data-dir {Quote(dataDirectory)}";
                        if (progress is null)
                        {
                            stderr.WriteLine(note);
                        }
                        else
                        {
                            progress.Note(note);
                        }
                    }

                    await Task.Delay(StorePollInterval, cancellationToken);
                    var next = await store.FindAsync(id, cancellationToken) ?? run;
                    if (next.Finished != run.Finished || next.State != run.State || next.UpdatedAt != run.UpdatedAt)
                    {
                        lastChange = DateTimeOffset.UtcNow;
                        warned = false;
                    }

                    run = next;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                progress?.Finish(RunProgress.Format(run, DateTimeOffset.UtcNow));
                stderr.WriteLine($"Stopped watching run {id}; it goes on ({run.State}, {run.Finished} of {run.Planned} evaluations recorded).");
                return Cli.Interrupted;
            }
            catch (RunStoreException e)
            {
                stderr.WriteLine($"error: run {id}: {e.Message}");
                return 1;
            }

            progress?.Finish(RunProgress.Format(run, DateTimeOffset.UtcNow));

            // The run has ended: its whole record (for the summary and the logs) comes from a copy of the store.
            await using var replica = await store.OpenReplicaAsync(run, CancellationToken.None);
            var status = await replica.Session.Client.GetStatusAsync(id);
            return await FollowAsync(replica.Session, status, showProgress: false, CancellationToken.None);
        }

        private static string Quote(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"') ? $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'" : path;

        private void Header(RunStatus status, string where)
        {
            if (json)
            {
                return;
            }

            var spec = status.Spec!;
            stdout.WriteLine(
                $"watching run {id}: {spec.Optimizer} on {spec.Objective}, {status.IterationsPlanned} iterations, seed {spec.Seed}, "
                + $"{status.Finished} of {status.EvaluationsPlanned} evaluations recorded, {status.State.ToString().ToLowerInvariant()}; {where}");
            stdout.Flush();
        }

        private async Task<int> FollowAsync(ClusterSession session, RunStatus status, bool showProgress, CancellationToken cancellationToken)
        {
            var follower = new RunFollower(stdout, stderr, json, LiveRunSpace.Problem(status))
            {
                OutDirectory = outDirectory,
                ConfigSpaceJson = LiveRunSpace.Json(status),
                CancelOnInterrupt = false,
                ShowProgress = showProgress,
            };
            var exit = await follower.FollowAsync(session, id, cancellationToken);
            if (exit != 0 || follower.Status is not { } final)
            {
                return exit;
            }

            if (final.State == RunState.Cancelled)
            {
                stderr.WriteLine($"Run {id} was cancelled ('hpbandster resume {id}' continues it).");
                return RunCancelled;
            }

            return 0;
        }
    }
}
