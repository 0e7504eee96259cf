using System.Security.Cryptography.X509Certificates;

namespace HpBandSter.Client;

/// <summary>
/// Where a command connects, as <see cref="SessionOptions.Check"/> found it: the gateway ports of a localhost cluster
/// (empty with PostgreSQL or an embedded silo) and the TLS certificate, or null for plain TCP.
/// </summary>
internal sealed record ClusterTarget(IReadOnlyList<int> Ports, X509Certificate2? Certificate);
