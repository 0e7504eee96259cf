namespace HpBandSter.Orleans.Hosting;

/// <summary>Settings of the HpBandSter runtime on a silo (<c>AddHpBandSter</c>).</summary>
public sealed class HpBandSterOptions
{
    /// <summary>Where job working directories (and, with a store, run data) go. Default <c>./hpbandster-data</c>.</summary>
    public string DataDirectory { get; set; } = "hpbandster-data";

    /// <summary>
    /// Tune Orleans membership so that a dead silo is declared dead in seconds instead of the default ~12 s or more
    /// (probe timeout 1 s, 2 missed probes, 1 vote, table refresh 2 s; see <see cref="HpBandSterMembership"/>). Default true.
    /// </summary>
    public bool FastFailureDetection { get; set; } = true;

    /// <summary>How long starting (or rebuilding) a run waits for this silo to learn which silos offer which objectives. Default 10 s.</summary>
    public TimeSpan DiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Journal entries between a run's snapshots, at least: after a snapshot at entry <c>s</c> the next is taken at
    /// <c>s + max(SnapshotInterval, s / 2)</c>, so a run reloads from a snapshot and at most a third of its journal,
    /// and the snapshots written over a run add a constant cost per entry. 0 turns snapshots off. Default 5,000.
    /// </summary>
    public int SnapshotInterval { get; set; } = 5_000;
}
