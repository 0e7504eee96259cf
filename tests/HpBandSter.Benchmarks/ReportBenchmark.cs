using System.Diagnostics;
using static HpBandSter.Benchmarks.BenchText;

namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>report [--postgres CONNECTION]</c>: the figures of issue 6 §2–§4 in a quick mode, as one markdown report on
/// stdout (progress on stderr): BOHB optimizer overhead (the <c>overhead</c> code at n = 100 and 1000), dispatch
/// throughput on the embedded default (<c>dispatch --quick</c>) and on three silo processes
/// (<c>cluster-dispatch --quick</c>), fault timings (<c>faults --quick</c>: 3 trials) and scale (<c>scale --quick</c>:
/// a 20,000-evaluation run, fairness over 8 s). The separate commands give the full figures.
/// </summary>
internal static class ReportBenchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine("# HpBandSter.Orleans performance report (quick mode)");
        Console.WriteLine();
        Console.WriteLine($"Machine: {Machine()}; load average at the start: {LoadAverage()}; {DateTime.UtcNow:u}.");
        Console.WriteLine();

        Console.WriteLine("## Optimizer overhead (BOHB)");
        Progress("report: optimizer overhead...");
        _ = OverheadBenchmark.Run(["--n", "100,1000", "--samples", "7"]);
        Console.WriteLine();

        Console.WriteLine("## Dispatch throughput, embedded default (one silo in the process)");
        Progress("report: embedded dispatch...");
        _ = await DispatchBenchmark.RunAsync(quick: true, ["--slots", "1,4,16"]);
        Console.WriteLine();

        Console.WriteLine("## Dispatch throughput, three silo processes");
        Console.WriteLine();
        Console.WriteLine(ClusterDispatchBenchmark.Text(await ClusterDispatchBenchmark.MeasureAsync(3, 4, 100, 1)));
        Console.WriteLine();

        Console.WriteLine("## Fault timings");
        Console.WriteLine();
        Console.WriteLine(FaultsBenchmark.Text(await FaultsBenchmark.MeasureAsync(3, Postgres(args))));
        Console.WriteLine();

        Console.WriteLine("## Scale");
        Console.WriteLine();
        Console.WriteLine(ScaleBenchmark.Text(await ScaleBenchmark.MeasureAsync(3, 4, 20_000, 8, 8, 0.005, bigOnCluster: false)));
        Console.WriteLine();
        Console.WriteLine(F($"Report done in {clock.Elapsed.TotalMinutes:0.0} min; load average at the end: {LoadAverage()}."));
        return 0;
    }
}
