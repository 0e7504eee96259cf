namespace HpBandSter.Silo;

/// <summary>How silos find each other (<c>--clustering</c>).</summary>
internal enum ClusteringKind
{
    /// <summary>
    /// Development clustering on one machine: the primary silo keeps the membership table in memory; the others
    /// join it at <c>--address:--primary-port</c>. The primary is the silo whose <c>--silo-port</c> equals that port.
    /// </summary>
    Localhost,

    /// <summary>
    /// Membership in PostgreSQL (Orleans' ADO.NET clustering with HpBandSter's own schema, created at start if
    /// missing): every silo and client of the cluster id reads and writes the same table; no silo is special.
    /// </summary>
    Postgres,
}
