using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HpBandSter.Orleans.Storage;
using StoredSummary = HpBandSter.Orleans.Storage.RunSummary;

namespace HpBandSter.Client;

/// <summary>
/// <c>hpbandster list</c> and <c>hpbandster status RUN</c>: read runs straight from a run store (the embedded
/// default's <c>&lt;data dir&gt;/runs.db</c>, or PostgreSQL), with no silo running.
/// </summary>
internal static class StoreCommands
{
    /// <summary>Creates <c>list</c>.</summary>
    public static Command CreateList()
    {
        var (location, json) = StoreOptions();
        var command = new Command("list", "List the runs in a run store (no cluster needed): id, objective, optimizer, state, progress, best loss, created.")
        {
            json,
        };
        location.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var runs = await ReadAsync(location, parseResult, stderr, cancellationToken);
            if (runs is null)
            {
                return 1;
            }

            if (parseResult.GetValue(json))
            {
                stdout.WriteLine(Json(w =>
                {
                    w.WriteStartArray();
                    foreach (var run in runs)
                    {
                        Write(w, run);
                    }

                    w.WriteEndArray();
                }));
                return 0;
            }

            if (runs.Count == 0)
            {
                stdout.WriteLine("No runs.");
                return 0;
            }

            stdout.WriteLine($"{"RUN",-36} {"OBJECTIVE",-14} {"OPTIMIZER",-12} {"STATE",-10} {"PROGRESS",-13} {"BEST LOSS",-14} CREATED (UTC)");
            foreach (var run in runs)
            {
                var best = run.BestLoss is { } b ? b.ToString("G6", CultureInfo.InvariantCulture) : "-";
                stdout.WriteLine($"{run.RunId,-36} {run.Objective,-14} {run.Optimizer,-12} {run.State,-10} {$"{run.Finished}/{run.Planned}",-13} {best,-14} {run.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Creates <c>status</c>.</summary>
    public static Command CreateStatus()
    {
        var runId = new Argument<string>("run") { Description = "The id of the run." };
        var (location, json) = StoreOptions();
        var command = new Command("status", "Show one run's state and progress from a run store (no cluster needed).")
        {
            runId, json,
        };
        location.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var runs = await ReadAsync(location, parseResult, stderr, cancellationToken);
            if (runs is null)
            {
                return 1;
            }

            var id = parseResult.GetValue(runId)!;
            if (runs.FirstOrDefault(r => r.RunId == id) is not { } run)
            {
                stderr.WriteLine($"error: there is no run '{id}' in the store.");
                return Cli.UsageError;
            }

            if (parseResult.GetValue(json))
            {
                stdout.WriteLine(Json(w => Write(w, run)));
            }
            else
            {
                stdout.WriteLine($"run {run.RunId}: {run.State}, {run.Optimizer} on {run.Objective}");
                stdout.WriteLine($"  evaluations {run.Finished} of {run.Planned}, best loss {(run.BestLoss is { } b ? b.ToString("R", CultureInfo.InvariantCulture) : "-")}");
                stdout.WriteLine($"  created {run.CreatedAt.UtcDateTime:u}, last change {run.UpdatedAt.UtcDateTime:u}");
                if (run.State == "running" && OwnerNote(run) is { } note)
                {
                    stdout.WriteLine($"  {note}");
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>Who brings a running run back after a crash (see <see cref="StoredSummary.Owner"/>), or null when no one in particular.</summary>
    private static string? OwnerNote(StoredSummary run) => run.Owner switch
    {
        "" => null,
        var owner when owner.StartsWith(ClusterSession.EmbeddedClusterPrefix, StringComparison.Ordinal) =>
            $"runs in an embedded hpbandster process, or did until that process stopped: 'hpbandster resume {run.RunId}' then continues it",
        var owner => $"belongs to service '{owner}': its silos bring it back by themselves after a crash",
    };

    private static (StoreLocation Location, Option<bool> Json) StoreOptions() =>
        (new StoreLocation(), new Option<bool>("--json") { Description = "Print JSON instead of text." });

    private static async Task<IReadOnlyList<StoredSummary>?> ReadAsync(StoreLocation location, ParseResult parseResult, TextWriter error, CancellationToken cancellationToken)
    {
        var (ok, runs) = await location.ReadAsync<IReadOnlyList<StoredSummary>>(
            parseResult, error, async store => store is null ? [] : await store.ListRunsAsync(cancellationToken), cancellationToken);
        return ok ? runs : null;
    }

    private static void Write(Utf8JsonWriter w, StoredSummary run)
    {
        w.WriteStartObject();
        w.WriteString("run_id", run.RunId);
        w.WriteString("objective", run.Objective);
        w.WriteString("optimizer", run.Optimizer);
        w.WriteString("state", run.State);
        w.WriteNumber("finished", run.Finished);
        w.WriteNumber("planned", run.Planned);
        if (run.BestLoss is { } best && double.IsFinite(best))
        {
            w.WriteNumber("best_loss", best);
        }
        else
        {
            w.WriteNull("best_loss");
        }

        w.WriteString("created", run.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteString("updated", run.UpdatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (run.Owner.Length > 0)
        {
            w.WriteString("owner", run.Owner);
        }
        else
        {
            w.WriteNull("owner");
        }
        w.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
