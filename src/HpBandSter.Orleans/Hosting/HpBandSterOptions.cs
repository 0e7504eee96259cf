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

    /// <summary>How long starting a run waits for this silo to learn which silos offer which objectives. Default 10 s.</summary>
    public TimeSpan DiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
