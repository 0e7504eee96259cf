using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using HpBandSter.Optimizers;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Benchmarks;

/// <summary>
/// The <c>dispatch</c> suite: evaluations per second and time to first result of the cluster runtime on one
/// in-process silo, with an objective that costs nothing (HyperBand, budgets 1 to 27, eta 3), for 1, 4 and 16 slots.
/// Each silo runs one warm-up run (JIT, tiering, grain activation paths) before the measured ones.
/// </summary>
internal static class DispatchBenchmark
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(5);

    /// <summary>Runs the suite; <paramref name="args"/> may hold <c>--iterations N</c> and <c>--slots 1,4,16</c>.</summary>
    public static async Task<int> RunAsync(bool quick, IReadOnlyList<string> args)
    {
        int[] slotCounts = Option(args, "--slots") is { } slotList ? [.. slotList.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : [1, 4, 16];
        var iterations = Option(args, "--iterations") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : quick ? 60 : 4000;
        var warmUpIterations = quick ? 20 : iterations; // a full-size warm-up: after a short one the first measured run stayed slow throughout (tiering)
        var repeats = quick ? 1 : 3;
        Console.WriteLine($"dispatch: HyperBand, budgets 1..27, eta 3, {iterations} iterations per run, " +
            $"objective 'zero' (loss 0), {repeats} measured run(s) per slot count after one warm-up run of {warmUpIterations} iterations.");
        Console.WriteLine();

        var coreAlone = new List<(double PerSecond, double CpuMicroseconds)>();
        _ = MeasureCoreAlone(warmUpIterations);
        for (var i = 0; i < repeats; i++)
        {
            coreAlone.Add(MeasureCoreAlone(iterations));
        }

        var measurements = new List<DispatchMeasurement>();
        foreach (var slots in slotCounts)
        {
            await using var silo = await DispatchSilo.StartAsync(slots);
            await MeasureAsync(silo, warmUpIterations, $"warm-up-{slots}");
            for (var i = 0; i < repeats; i++)
            {
                var measurement = await MeasureAsync(silo, iterations, $"measured-{slots}-{i}");
                measurements.Add(measurement);
                Console.WriteLine(FormattableString.Invariant(
                    $"  {slots,2} slot(s), run {i + 1}: {measurement.Evaluations} evaluations in {measurement.Seconds:0.000} s = {measurement.PerSecond:0} /s, first result after {measurement.FirstResultMs:0.00} ms"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(Machine());
        Console.WriteLine();
        Console.WriteLine(Table(measurements));
        Console.WriteLine();
        Console.WriteLine(Summary(measurements));
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"For reference, the same HyperBand run on the Core optimizer alone (ask, tell loss 0, one thread, no cluster): median {Median(coreAlone.Select(c => c.PerSecond)):N0} evaluations/s, {Median(coreAlone.Select(c => c.CpuMicroseconds)):0.0} CPU µs per evaluation."));
        Console.WriteLine();
        var worstMedian = measurements.GroupBy(m => m.Slots).Min(g => Median(g.Select(m => m.PerSecond)));
        Console.WriteLine(FormattableString.Invariant(
            $"Target (issue): >= 10,000 evaluations/s; lowest median here {worstMedian:N0} /s: {(worstMedian >= 10_000 ? "met" : "not met")} (the Python HpBandSter manages 450-750 /s)."));
        return 0;
    }

    private static async Task<DispatchMeasurement> MeasureAsync(DispatchSilo silo, int iterations, string name)
    {
        var runId = $"{name}-{Guid.NewGuid():N}";
        var spec = Spec(iterations);
        var grain = silo.Grains.GetGrain<IRunGrain>(runId);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var start = await silo.Client.StartRunAsync(runId, spec);
        var startCall = clock.Elapsed;
        if (!start.Accepted)
        {
            throw new InvalidOperationException($"The run '{runId}' was refused: {start.Error}");
        }

        // A long poll that returns with the first recorded result (or at once, if there is one already).
        var first = await grain.WaitForChangeAsync(0, TimeSpan.FromSeconds(20));
        var firstResult = clock.Elapsed;
        if (first.Finished == 0)
        {
            throw new InvalidOperationException($"The run '{runId}' recorded no result within 20 s (state {first.State}, queued {first.Queued}, running {first.Running}, slots {first.SlotsAvailable}).");
        }

        // Completion: a cheap status poll; the figure itself is the grain's own end time, so the poll interval does not count.
        var status = first;
        while (!status.IsEnded)
        {
            if (clock.Elapsed > RunDeadline)
            {
                throw new TimeoutException($"The run '{runId}' did not end within {RunDeadline.TotalMinutes} min: {status.Finished} of {status.EvaluationsPlanned} evaluations finished.");
            }

            await Task.Delay(10);
            status = await grain.GetStatusAsync();
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        if (status.State != RunState.Completed || status.Finished != status.EvaluationsPlanned || status.Crashed != 0)
        {
            throw new InvalidOperationException($"The run '{runId}' ended {status.State} with {status.Finished} of {status.EvaluationsPlanned} evaluations, {status.Crashed} crashed.");
        }

        var finishTimes = await FinishTimesAsync(grain);
        var seconds = status.ElapsedSeconds;
        var steady = seconds >= 2 ? finishTimes.Count(t => t > 1.0) / (seconds - 1.0) : double.NaN;
        var lastSecond = seconds >= 2 ? finishTimes.Count(t => t > seconds - 1.0) : double.NaN;
        if (Environment.GetEnvironmentVariable("HPBANDSTER_BENCH_TIMELINE") is "1")
        {
            var buckets = finishTimes.GroupBy(t => (int)(t / 0.5)).OrderBy(g => g.Key).Select(g => (g.Count() * 2).ToString(CultureInfo.InvariantCulture));
            Console.WriteLine($"    {runId}: results/s per 0.5 s: {string.Join(' ', buckets)}");
        }

        return new DispatchMeasurement(silo.Slots, status.Finished, seconds, steady, lastSecond, cpu.TotalMicroseconds / status.Finished, startCall.TotalMilliseconds, firstResult.TotalMilliseconds, finishTimes.Min() * 1000);
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }

    /// <summary>The run's optimizer driven directly: what the run grain's own share of the work costs.</summary>
    private static (double PerSecond, double CpuMicroseconds) MeasureCoreAlone(int iterations)
    {
        var spec = Spec(iterations);
        var optimizer = new Optimizer(RunSpecValidator.ToSettings(spec), DispatchSilo.Space, spec.Seed);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var evaluations = 0;
        while (optimizer.Ask() is { Job: { } job })
        {
            optimizer.Tell(job.Key, new JobOutcome(0.0));
            evaluations++;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return (evaluations / seconds, cpu.TotalMicroseconds / evaluations);
    }

    private static RunSpec Spec(int iterations) => new()
    {
        Objective = DispatchSilo.Objective,
        Optimizer = "hyperband",
        MinBudget = 1,
        MaxBudget = 27,
        Eta = 3,
        Iterations = iterations,
        Seed = 1,
    };

    /// <summary>Every result's finish time, in seconds on the run grain's clock (fetched after the run, so it does not disturb it).</summary>
    private static async Task<List<double>> FinishTimesAsync(IRunGrain grain)
    {
        var times = new List<double>();
        var cursor = default(ResultsCursor);
        while (true)
        {
            var page = await grain.GetResultsAsync(cursor, 5000);
            times.AddRange(page.Runs.Select(r => r.Finished));
            cursor = page.Next;
            if (page.Runs.Length == 0)
            {
                return times;
            }
        }
    }

    private static string Table(IEnumerable<DispatchMeasurement> measurements)
    {
        var lines = new List<string>
        {
            "| Slots | Run | Evaluations | Time (s) | Evaluations/s | Steady state /s (after 1 s) | Last second /s | µs per evaluation | CPU µs per evaluation | StartRunAsync (ms) | First result, client (ms) | First result, grain clock (ms) |",
            "|------:|----:|------------:|---------:|--------------:|----------------------------:|---------------:|------------------:|----------------------:|-------------------:|--------------------------:|-------------------------------:|",
        };
        foreach (var group in measurements.GroupBy(m => m.Slots))
        {
            var run = 0;
            foreach (var m in group)
            {
                run++;
                lines.Add(FormattableString.Invariant(
                    $"| {m.Slots} | {run} | {m.Evaluations:N0} | {m.Seconds:0.000} | {m.PerSecond:N0} | {Rate(m.SteadyPerSecond)} | {Rate(m.LastSecondPerSecond)} | {1e6 / m.PerSecond:0.0} | {m.CpuMicrosecondsPerEvaluation:0.0} | {m.StartCallMs:0.00} | {m.FirstResultMs:0.00} | {m.FirstResultGrainMs:0.00} |"));
            }
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Summary(IEnumerable<DispatchMeasurement> measurements)
    {
        var lines = new List<string>
        {
            "| Slots | Runs | Evaluations/s, median (min–max) | CPU µs per evaluation, median | First result, client, median (ms) | First result, grain clock, median (ms) |",
            "|------:|-----:|--------------------------------:|------------------------------:|----------------------------------:|---------------------------------------:|",
        };
        foreach (var group in measurements.GroupBy(m => m.Slots))
        {
            lines.Add(FormattableString.Invariant(
                $"| {group.Key} | {group.Count()} | {Median(group.Select(m => m.PerSecond)):N0} ({group.Min(m => m.PerSecond):N0}–{group.Max(m => m.PerSecond):N0}) | {Median(group.Select(m => m.CpuMicrosecondsPerEvaluation)):0.0} | {Median(group.Select(m => m.FirstResultMs)):0.00} | {Median(group.Select(m => m.FirstResultGrainMs)):0.00} |"));
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Rate(double perSecond) => double.IsNaN(perSecond) ? "–" : perSecond.ToString("N0", CultureInfo.InvariantCulture);

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"Machine: {Environment.ProcessorCount} processors{(cpu is null ? "" : $" ({cpu})")}, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, " +
            $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, Release build: {!IsDebugBuild()}{LoadAverage()}.";
    }

    /// <summary>The 1-minute load average at the end (Linux): other processes on the machine make the figures noisy.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $", load average (1 min) at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}" : "";

    private static bool IsDebugBuild() =>
        typeof(DispatchBenchmark).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().Any(a => a.IsJITOptimizerDisabled);
}
