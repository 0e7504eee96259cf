using System.Diagnostics;
using System.Globalization;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Benchmarks;

/// <summary>
/// <c>journal [--results N] [--postgres CONNECTION]</c>: the cost of persisting one result as a run's journal grows.
/// One run receives N results the way a run grain writes them (each append: a "told" and an "asked" entry and the
/// summary row, awaited before the next), and the time per append over the first and the last 1,000 results is
/// compared. Durability must cost the same at the 100,000th result as at the first (ratio ≤ 1.5).
/// </summary>
internal static class JournalBenchmark
{
    private const int Window = 1000;

    public static async Task<int> RunAsync(string[] args)
    {
        var results = Option(args, "--results") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 100_000;
        var directory = Path.Combine(Path.GetTempPath(), "hpb-journal-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            Console.WriteLine($"Machine: {Environment.ProcessorCount} processors, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
            Console.WriteLine();
            Console.WriteLine("| store | results | first 1,000: µs per result | last 1,000: µs per result | ratio | results/s (one writer, awaited) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            await using (var sqlite = new SqliteRunStore(Path.Combine(directory, "runs.db")))
            {
                await MeasureAsync("SQLite (WAL)", sqlite, results);
            }

            if ((Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("HPBANDSTER_TEST_POSTGRES")) is { } connectionString)
            {
                await using var postgres = new PostgresRunStore(connectionString);
                await MeasureAsync("PostgreSQL", postgres, results);
            }

            return 0;
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task MeasureAsync(string name, IRunStore store, int results)
    {
        await store.InitializeAsync();
        var runId = "journal-bench-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;
        await store.CreateRunAsync(new RunHeader(runId, "{}", created), Summary(runId, 0, created));
        var sequence = 0L;
        var clock = Stopwatch.StartNew();
        double first = 0, last;
        for (var i = 0; i < results; i++)
        {
            if (i == Window)
            {
                first = clock.Elapsed.TotalMicroseconds / Window;
            }

            if (i == results - Window)
            {
                clock.Restart();
            }

            JournalEntry[] entries =
            [
                new(++sequence, "told", $"{{\"i\":{i},\"s\":0,\"k\":0,\"b\":27.0,\"loss\":0.5,\"info\":null,\"error\":null,\"ts\":[1.0,1.0,1.0]}}"),
                new(++sequence, "asked", $"{{\"i\":{i + 1},\"s\":0,\"k\":0,\"b\":27.0,\"t\":1.0}}"),
            ];
            await store.AppendAsync(runId, entries, Summary(runId, i + 1, created));
        }

        last = clock.Elapsed.TotalMicroseconds / Window;
        Console.WriteLine($"| {name} | {results:N0} | {first:0.0} | {last:0.0} | {last / first:0.00} | {1e6 / ((first + last) / 2):N0} |");
    }

    private static RunSummary Summary(string runId, int finished, DateTimeOffset created) =>
        new(runId, "running", "zero", "hyperband", finished, int.MaxValue, 0.5, created, DateTimeOffset.UtcNow);

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
