using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using HpBandSter.Logs;
using HpBandSter.Objectives;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using HpBandSter.Results;

namespace HpBandSter.Client;

/// <summary>
/// <c>hpbandster run</c>: runs an optimization on the Orleans cluster runtime, on a silo started inside this process
/// or (<c>--cluster</c>) on an existing cluster, shows its progress and prints HpBandSter's summary (incumbent,
/// number of configurations and runs, total budget in full evaluations).
/// </summary>
internal static class RunCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var builtIns = BenchmarkObjectives.All.Select(o => o.Name).ToList();
        var objective = new Option<string>("--objective")
        {
            Description = $"Objective to minimize: a built-in one ({string.Join(", ", builtIns)}); with --cluster or --postgres, any objective the cluster's silos offer.",
            DefaultValueFactory = _ => "toy",
        };
        var optimizer = new Option<string>("--optimizer") { Description = "bohb, hyperband, randomsearch or h2bo.", DefaultValueFactory = _ => "bohb" };
        optimizer.AcceptOnlyFromAmong([.. RunSpecValidator.OptimizerNames]);
        var minBudget = new Option<double?>("--min-budget") { Description = "Smallest budget [default: the objective's, 9 for toy; randomsearch: --max-budget]. Required on a cluster for other objectives." };
        var maxBudget = new Option<double?>("--max-budget") { Description = "Largest budget [default: the objective's, 243 for toy]. Required on a cluster for other objectives." };
        var eta = new Option<double>("--eta") { Description = "Reduction factor between stages (at least 2).", DefaultValueFactory = _ => 3.0 };
        var iterations = new Option<int>("--iterations") { Description = "Iterations (brackets) to run, HpBandSter's n_iterations.", DefaultValueFactory = _ => 4 };
        var seed = new Option<long?>("--seed") { Description = "Seed of the run's random source [default: drawn and printed]. Same seed and --workers 1: the same run." };
        var session = new SessionOptions("Run");
        var space = new Option<FileInfo?>("--space") { Description = "Search space as a ConfigSpace JSON file [default: the objective's own space]." };
        var runId = new Option<string?>("--run-id") { Description = "Id of the run on the cluster [default: generated from objective, optimizer and time, e.g. toy-bohb-20261129-085012-3fa2]." };
        var sleep = new Option<double>("--sleep")
        {
            Description = "Seconds to wait in each evaluation before it runs (HpBandSter's example sleep_interval), to watch parallel speed-ups.",
            DefaultValueFactory = _ => 0.0,
        };
        var jobTimeout = new Option<double?>("--job-timeout") { Description = "Seconds an evaluation may take before it is cancelled and recorded as crashed [default: no limit]." };
        var retryLimit = new Option<int>("--retry-limit")
        {
            Description = "How often a job whose silo died is dispatched again before it is recorded as crashed.",
            DefaultValueFactory = _ => 3,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Directory to write HpBandSter's live logs to while the run goes on (configspace.json at the start, a configs.json line per new "
                + "configuration, a results.json line per result; at the end they equal HpBandSter's export of the whole run). Must not hold logs yet; "
                + "after a client crash, 'watch RUN --out DIR' or 'resume RUN --out DIR' continues them.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the summary instead of text, and no progress." };
        var warmStart = new Option<string?>("--warm-start")
        {
            Description = "Seed the model with an earlier run's results (HpBandSter's previous_result): a folder of HpBandSter logs (ours or Python HpBandSter's), "
                + "or the id of a run in the run store (--data-dir, or --postgres). The data is kept with the run and appears in its results and logs as iteration -1.",
        };
        var minWorkers = new Option<int>("--min-workers")
        {
            Description = "Wait until at least this many slots offer the objective before the first job (HpBandSter's run(min_n_workers)).",
            DefaultValueFactory = _ => 1,
        };
        var minWorkersTimeout = new Option<double?>("--min-workers-timeout")
        {
            Description = "Seconds to wait for --min-workers slots; then the run is cancelled (it can be resumed) [default: wait without limit].",
        };

        var shutdownWorkers = new Option<bool>("--shutdown-workers")
        {
            Description = "When the run ends, silos started in worker mode (hpbandster-silo --worker-mode true) that offer its objective stop once idle (HpBandSter's shutdown(shutdown_workers=True)); shared silos stay.",
        };

        AddCheck(minWorkers, v => v >= 1, v => $"must be at least 1 (got {v})");
        AddCheck(minWorkersTimeout, v => v is null || (double.IsFinite(v.Value) && v > 0), v => $"must be a positive number of seconds (got {Text(v!.Value)}); leave it out to wait without limit");
        AddCheck(minBudget, v => v is null || (double.IsFinite(v.Value) && v > 0), v => $"must be a positive number (got {Text(v!.Value)})");
        AddCheck(maxBudget, v => v is null || (double.IsFinite(v.Value) && v > 0), v => $"must be a positive number (got {Text(v!.Value)})");
        AddCheck(eta, v => double.IsFinite(v) && v >= 2, v => $"must be a number of at least 2 (got {Text(v)}); HpBandSter's default is 3");
        AddCheck(iterations, v => v >= 1, v => $"must be at least 1 (got {v})");
        AddCheck(sleep, v => double.IsFinite(v) && v >= 0, v => $"must be a number of seconds, 0 or more (got {Text(v)})");
        AddCheck(jobTimeout, v => v is null || (double.IsFinite(v.Value) && v > 0), v => $"must be a positive number of seconds (got {Text(v!.Value)}); leave it out for no limit");
        AddCheck(retryLimit, v => v >= 0, v => $"must be 0 or more (got {v})");
        AddCheck(runId, v => v is null || (v.Length > 0 && !v.Any(char.IsWhiteSpace) && !v.Any(char.IsControl)), v => $"must be a non-empty id without spaces (got '{v}')");

        var command = new Command("run", "Run an optimization on the Orleans cluster runtime (a silo in this process, or --cluster) and print the incumbent and HpBandSter's summary counts.")
        {
            objective, optimizer, minBudget, maxBudget, eta, iterations, seed, space, runId, sleep, jobTimeout, retryLimit, warmStart, minWorkers, minWorkersTimeout, shutdownWorkers, output, json,
        };
        session.AddTo(command);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            int Usage(string message) => Cli.ReportUsageError(command, stderr, message);

            var onCluster = session.IsCluster(parseResult);
            var objectiveName = parseResult.GetValue(objective)!;
            var problem = BenchmarkObjectives.All.FirstOrDefault(o => o.Name == objectiveName);
            if (problem is null && !onCluster)
            {
                return Usage($"{objective.Name}: '{objectiveName}' is not a built-in objective; use one of {string.Join(", ", builtIns)}, or --cluster to run on a cluster's objectives.");
            }

            if (session.Check(parseResult, command) is not { } target)
            {
                return Cli.UsageError;
            }

            var optimizerName = parseResult.GetValue(optimizer)!;
            var max = parseResult.GetValue(maxBudget) ?? problem?.MaxBudget;
            var min = parseResult.GetValue(minBudget) ?? (optimizerName == "randomsearch" ? max : problem?.MinBudget);
            if (max is null || min is null)
            {
                return Usage($"{(min is null ? minBudget.Name : maxBudget.Name)} is required for '{objectiveName}', which is not a built-in objective.");
            }

            string? spaceJson = null;
            if (parseResult.GetValue(space) is { } spaceFile)
            {
                try
                {
                    spaceJson = await File.ReadAllTextAsync(spaceFile.FullName, cancellationToken);
                    _ = RunSpecValidator.ParseSpace(spaceJson);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return Usage($"{space.Name}: cannot read '{spaceFile}': {e.Message}");
                }
                catch (ArgumentException e)
                {
                    return Usage($"{space.Name}: '{spaceFile}' is {WithoutField(e.Message, nameof(RunSpec.SearchSpace))}");
                }
            }

            WarmStartSpec? warmStartSpec = null;
            if (parseResult.GetValue(warmStart) is { } warmSource)
            {
                var store = new StoreAddress(parseResult.GetValue(session.DataDir)!, session.PostgresConnection(parseResult));
                if (await ResultSource.LoadAsync(warmSource, store, stderr, cancellationToken) is not { } loaded)
                {
                    return Usage($"{warmStart.Name}: '{warmSource}' cannot be used (see above).");
                }

                warmStartSpec = WarmStartLoader.ToSpec(loaded);
            }

            var runSeed = parseResult.GetValue(seed) ?? Random.Shared.NextInt64(1, int.MaxValue);
            var spec = new RunSpec
            {
                Objective = objectiveName,
                Optimizer = optimizerName,
                MinBudget = min.Value,
                MaxBudget = max.Value,
                Iterations = parseResult.GetValue(iterations),
                Eta = parseResult.GetValue(eta),
                Seed = runSeed,
                SearchSpace = spaceJson,
                JobTimeout = parseResult.GetValue(jobTimeout) is { } timeout ? TimeSpan.FromSeconds(timeout) : null,
                RetryLimit = parseResult.GetValue(retryLimit),
                SleepSeconds = parseResult.GetValue(sleep),
                WarmStart = warmStartSpec,
                MinSlots = parseResult.GetValue(minWorkers),
                MinSlotsTimeout = parseResult.GetValue(minWorkersTimeout) is { } wait ? TimeSpan.FromSeconds(wait) : null,
                ShutdownWorkers = parseResult.GetValue(shutdownWorkers),
            };
            if (RunSpecValidator.FindError(spec) is { } specError)
            {
                return Usage(WithOptionName(specError, new Dictionary<string, Option>
                {
                    [nameof(RunSpec.MinBudget)] = minBudget,
                    [nameof(RunSpec.MaxBudget)] = maxBudget,
                    [nameof(RunSpec.Eta)] = eta,
                    [nameof(RunSpec.Iterations)] = iterations,
                    [nameof(RunSpec.SearchSpace)] = space,
                    [nameof(RunSpec.JobTimeout)] = jobTimeout,
                    [nameof(RunSpec.RetryLimit)] = retryLimit,
                    [nameof(RunSpec.SleepSeconds)] = sleep,
                    [nameof(RunSpec.Optimizer)] = optimizer,
                    [nameof(RunSpec.Objective)] = objective,
                    [nameof(RunSpec.MinSlots)] = minWorkers,
                    [nameof(RunSpec.MinSlotsTimeout)] = minWorkersTimeout,
                }));
            }

            var outDir = parseResult.GetValue(output);
            if (outDir is not null)
            {
                foreach (var file in new[] { HpBandSterLogFiles.Configs, HpBandSterLogFiles.Results, HpBandSterLogFiles.ConfigSpace })
                {
                    if (File.Exists(Path.Combine(outDir, file)))
                    {
                        return Usage($"{output.Name}: '{outDir}' already holds {file}; choose another directory (logs of an earlier run are never overwritten).");
                    }
                }
            }

            var id = parseResult.GetValue(runId) ?? NewRunId(objectiveName, optimizerName);
            var follow = new RunFollower(stdout, stderr, parseResult.GetValue(json), problem)
            {
                OutDirectory = outDir,
                ConfigSpaceJson = spaceJson ?? problem?.Space.ToJson(),
            };
            ClusterSession? opened;
            try
            {
                opened = await session.OpenAsync(parseResult, target, stderr, cancellationToken, id);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                stderr.WriteLine("Interrupted before the run started.");
                return Cli.Interrupted;
            }

            if (opened is null)
            {
                return 1;
            }

            await using (opened)
            {
                int exit;
                try
                {
                    exit = await follow.RunAsync(opened, id, spec, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // For example the cluster went away while the run was followed (TimeoutException, SiloUnavailableException).
                    stderr.WriteLine($"error: run {id}: lost contact with the {(onCluster ? "cluster" : "embedded silo")}: {e.Message}");
                    return 1;
                }

                return exit;
            }
        });
        return command;
    }

    /// <summary>A run id like <c>toy-bohb-20261129-085012-3fa2</c>: objective, optimizer, UTC time, four random hex digits.</summary>
    public static string NewRunId(string objective, string optimizer) =>
        $"{objective}-{optimizer}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Random.Shared.Next(0x10000):x4}";

    private static void AddCheck<T>(Option<T> option, Func<T, bool> isValid, Func<T, string> problem) =>
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // did not convert; System.CommandLine reports that itself
            }

            if (!isValid(value))
            {
                result.AddError($"{option.Name} {problem(value)}.");
            }
        });

    /// <summary>Replaces a validator message's leading field name (<c>Eta: …</c>) by the option (<c>--eta: …</c>).</summary>
    private static string WithOptionName(string message, IReadOnlyDictionary<string, Option> options)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && options.TryGetValue(message[..colon], out var option) ? $"{option.Name}{message[colon..]}" : message;
    }

    private static string WithoutField(string message, string field) =>
        message.StartsWith(field + ": ", StringComparison.Ordinal) ? message[(field.Length + 2)..] : message;

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
