using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace HpBandSter.Benchmarks;

/// <summary>Shared bits of the process-cluster commands (<c>cluster-dispatch</c>, <c>faults</c>, <c>scale</c>): options, medians, the machine line, progress.</summary>
internal static class BenchText
{
    public static string? Option(IReadOnlyList<string> args, string name)
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

    public static int IntOption(IReadOnlyList<string> args, string name, int fallback) =>
        Option(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static double DoubleOption(IReadOnlyList<string> args, string name, double fallback) =>
        Option(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The PostgreSQL connection string of <c>--postgres</c> or HPBANDSTER_POSTGRES, if any.</summary>
    public static string? Postgres(IReadOnlyList<string> args) =>
        Option(args, "--postgres") ?? (Environment.GetEnvironmentVariable("HPBANDSTER_POSTGRES") is { Length: > 0 } cs ? cs : null);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Progress goes to stderr, so stdout carries only the report (text or JSON).</summary>
    public static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} processors{(cpu is null ? "" : $" ({cpu})")}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
            $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC in the benchmark process";
    }

    /// <summary>The machine and load lines every report starts with.</summary>
    public static JsonObject MachineJson() => new() { ["machine"] = Machine(), ["loadAverage"] = LoadAverage(), ["utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture) };

    /// <summary>This process's peak resident set (VmHWM) in KiB.</summary>
    public static long SelfPeakRssKb() => SiloProcessHandle.ReadPeakKb(Environment.ProcessId) ?? 0;

    /// <summary>A process's CPU time (user + system, from /proc/PID/stat) in seconds, or NaN.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3, utime 14 and stime 15 (1-based) → indices 11 and 12 here.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return double.NaN;
        }
    }

    public static string Mb(long kb) => (kb / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB";

    public static JsonNode? Value(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    public static string F(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>Unix time now, in seconds (the clock runs' StartedAt and result timestamps use).</summary>
    public static double UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
