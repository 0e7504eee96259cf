using System.Net;
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
    LogLevel LogLevel)
{
    /// <summary>The one line printed to stdout once the silo is up; tests and scripts wait for it.</summary>
    public string ReadyLine =>
        $"hpbandster-silo ready: address={Address}:{SiloPort} gateway={GatewayPort} slots={Slots} objectives={string.Join(",", Objectives)}";
}
