using System.Net;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Orleans.PostgreSql;
using Microsoft.Extensions.Logging;

namespace HpBandSter.Silo;

/// <summary>Everything the silo program was asked for, validated.</summary>
internal sealed record SiloSettings(
    ClusteringKind Clustering,
    IPAddress Address,
    int SiloPort,
    int GatewayPort,
    int PrimaryPort,
    string ClusterId,
    string ServiceId,
    int Slots,
    IReadOnlyList<string> Objectives,
    string DataDirectory,
    LogLevel LogLevel,
    string? PostgresConnectionString = null)
{
    /// <summary>Command objectives from the configuration file (name and settings, checked when the silo is built).</summary>
    public IReadOnlyList<(string Name, CommandObjectiveOptions Options)> CommandObjectives { get; init; } = [];

    /// <summary>The certificate for TLS (with its private key), or null for plain TCP.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TlsCertificate { get; init; }

    /// <summary>Where to export metrics over OTLP (HTTP/protobuf), or null.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Stop after this long without an evaluation (<c>WorkerOptions.IdleTimeout</c>), or null.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>
    /// Give up (exit code 1) when the silo has not joined the cluster within this time, or null to wait as long as
    /// Orleans does.
    /// </summary>
    public TimeSpan? JoinTimeout { get; init; }

    /// <summary>Where <see cref="JoinTimeout"/> came from, for the message when it expires.</summary>
    public string JoinTimeoutSource { get; init; } = "--join-timeout";

    /// <summary>Stop once a run that shuts down its workers has ended (<c>WorkerOptions.ExitWhenRunsEnd</c>).</summary>
    public bool WorkerMode { get; init; }

    /// <summary>Where the Orleans Dashboard listens (HTTP), or null for no dashboard and no HTTP listener at all.</summary>
    public IPEndPoint? Dashboard { get; init; }

    /// <summary>The dashboard's URL for messages, or null without a dashboard.</summary>
    public string? DashboardUrl => Dashboard is { } endpoint
        ? $"http://{(endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString())}:{endpoint.Port}/"
        : null;

    /// <summary>Full paths of plugin assemblies to load.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>Names of objectives found in <see cref="Plugins"/> (set once they are loaded).</summary>
    public IReadOnlyList<string> PluginObjectives { get; set; } = [];

    /// <summary>Every objective this silo offers: built-in, command, plugin.</summary>
    public IEnumerable<string> Offered => Objectives.Concat(CommandObjectives.Select(c => c.Name)).Concat(PluginObjectives);

    /// <summary>The one line printed to stdout once the silo is up; tests and scripts wait for it.</summary>
    public string ReadyLine =>
        $"hpbandster-silo ready: address={Address}:{SiloPort} gateway={GatewayPort} slots={Slots} objectives={string.Join(",", Offered)} clustering={ClusteringText} tls={(TlsCertificate is null ? "off" : "on")}" +
        (DashboardUrl is { } url ? $" dashboard={url}" : string.Empty);

    /// <summary>The clustering for messages: <c>localhost</c>, or <c>postgres</c> with where it points (never the password).</summary>
    public string ClusteringText => Clustering == ClusteringKind.Postgres && PostgresConnectionString is { } cs
        ? $"postgres({PostgresConnectionText.Describe(cs)})"
        : Clustering.ToString().ToLowerInvariant();

    /// <summary>The settings without the connection string's password (a record would print it).</summary>
    public override string ToString() => ReadyLine;
}
