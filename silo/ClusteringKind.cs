namespace HpBandSter.Silo;

/// <summary>How silos find each other (<c>--clustering</c>).</summary>
internal enum ClusteringKind
{
    /// <summary>
    /// Development clustering on one machine: the primary silo keeps the membership table in memory; the others
    /// join it at <c>--address:--primary-port</c>. The primary is the silo whose <c>--silo-port</c> equals that port.
    /// </summary>
    Localhost,
}
