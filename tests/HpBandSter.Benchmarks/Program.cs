using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/HpBandSter.Benchmarks [-- [kde|bohb|kde-paths|dispatch|cluster-dispatch|faults|scale|report|journal|quality|overhead] [--quick] [BenchmarkDotNet args | dispatch: --iterations N --slots 1,4,16]]</c>.
/// <c>quality</c> (see <see cref="QualityBenchmark"/>) and <c>overhead</c> (see <see cref="OverheadBenchmark"/>) are not BenchmarkDotNet suites either.
/// <c>--quick</c> (or HPBANDSTER_BENCH_QUICK=1) runs in-process with few short iterations: under a minute, rougher numbers.
/// <c>dispatch</c> is not a BenchmarkDotNet suite: it runs whole optimization runs on an in-process silo (see <see cref="DispatchBenchmark"/>).
/// <c>cluster-dispatch</c> (or <c>dispatch --silos N</c>), <c>faults</c> and <c>scale</c> start <c>hpbandster-silo</c> processes
/// (see <see cref="ClusterDispatchBenchmark"/>, <see cref="FaultsBenchmark"/>, <see cref="ScaleBenchmark"/>);
/// <c>report</c> runs them all in a quick mode as one markdown report (see <see cref="ReportBenchmark"/>).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick") || Environment.GetEnvironmentVariable("HPBANDSTER_BENCH_QUICK") is "1" or "true";
        var suite = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "kde";
        if (suite == "cluster-dispatch" || (suite == "dispatch" && args.Contains("--silos")))
        {
            return await ClusterDispatchBenchmark.RunAsync(quick, args);
        }

        if (suite == "faults")
        {
            return await FaultsBenchmark.RunAsync(quick, args);
        }

        if (suite == "report")
        {
            return await ReportBenchmark.RunAsync(args);
        }

        if (suite == "scale")
        {
            return await ScaleBenchmark.RunAsync(quick, args);
        }

        if (suite == "dispatch")
        {
            return await DispatchBenchmark.RunAsync(quick, args);
        }

        if (suite == "quality")
        {
            return await QualityBenchmark.RunAsync(args);
        }

        if (suite == "overhead")
        {
            return OverheadBenchmark.Run(args);
        }

        if (suite == "journal")
        {
            return await JournalBenchmark.RunAsync(args);
        }

        var rest = args.Where(a => a != "--quick" && a != suite).ToArray();
        var config = quick ? QuickConfig() : DefaultConfig.Instance;
        switch (suite)
        {
            case "kde":
                BenchmarkRunner.Run<KdeBenchmarks>(config, rest);
                return 0;
            case "bohb":
                BenchmarkRunner.Run<BohbBenchmarks>(config, rest);
                return 0;
            case "kde-paths":
                BenchmarkRunner.Run<KdePathBenchmarks>(config, rest);
                return 0;
            default:
                Console.Error.WriteLine($"Unknown suite '{suite}'. Use 'kde' (default), 'bohb', 'kde-paths', 'dispatch', 'cluster-dispatch', 'faults', 'scale', 'report', 'journal', 'quality' or 'overhead', optionally with --quick.");
                return 2;
        }
    }

    private static IConfig QuickConfig() => DefaultConfig.Instance.AddJob(
        Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(6) // > 100 ms, so that tiered compilation has promoted the hot loops before measuring
            .WithIterationCount(5)
            .WithIterationTime(TimeInterval.FromMilliseconds(40))
            .WithId("Quick"));
}
