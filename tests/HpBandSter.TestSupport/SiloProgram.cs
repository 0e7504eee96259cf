using System.Globalization;

namespace HpBandSter.TestSupport;

/// <summary>The stock silo program (<c>hpbandster-silo</c>) as the tests and benchmarks run it: where it is, its ready line, its arguments.</summary>
public static class SiloProgram
{
    /// <summary>What the silo prints on stdout once it serves (the rest of the line describes it).</summary>
    public const string ReadyLinePrefix = "hpbandster-silo ready:";

    /// <summary>The silo program next to the calling assembly (copied there by a project reference to silo/).</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "hpbandster-silo.dll");

    /// <summary>
    /// The network part of a silo's arguments on 127.0.0.1: clustering (<c>localhost</c> or <c>postgres</c>), the
    /// ports, the primary's port (localhost clustering) and the cluster id, which is also the service id.
    /// </summary>
    public static List<string> Network(string clustering, int siloPort, int gatewayPort, int? primaryPort, string clusterId)
    {
        List<string> args =
        [
            "--clustering", clustering,
            "--address", "127.0.0.1",
            "--silo-port", Text(siloPort),
            "--gateway-port", Text(gatewayPort),
        ];
        if (primaryPort is { } primary)
        {
            args.AddRange(["--primary-port", Text(primary)]);
        }

        args.AddRange(["--cluster-id", clusterId, "--service-id", clusterId]);
        return args;
    }

    /// <summary>The arguments of a working silo of a localhost cluster (membership kept by the primary, on <paramref name="primaryPort"/>).</summary>
    public static List<string> LocalhostArguments(int siloPort, int gatewayPort, int primaryPort, string clusterId, int slots, string objectives, string dataDirectory) =>
        [.. Network("localhost", siloPort, gatewayPort, primaryPort, clusterId), .. Worker(slots, objectives, dataDirectory)];

    /// <summary>The arguments of a working silo with membership (and runs) in PostgreSQL; the connection string is not among them.</summary>
    public static List<string> PostgresArguments(int siloPort, int gatewayPort, string clusterId, int slots, string objectives, string dataDirectory) =>
        [.. Network("postgres", siloPort, gatewayPort, null, clusterId), .. Worker(slots, objectives, dataDirectory)];

    private static string[] Worker(int slots, string objectives, string dataDirectory) =>
    [
        "--slots", Text(slots),
        "--objectives", objectives,
        "--data-dir", dataDirectory,
        "--log-level", "warning",
    ];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
