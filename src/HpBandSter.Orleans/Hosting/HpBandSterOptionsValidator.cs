using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Hosting;

/// <summary>Checks <see cref="HpBandSterOptions"/> at silo start-up; messages name the option.</summary>
internal sealed class HpBandSterOptionsValidator(IOptions<HpBandSterOptions> options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.DataDirectory))
        {
            throw new OrleansConfigurationException($"{nameof(HpBandSterOptions)}.{nameof(HpBandSterOptions.DataDirectory)} must name a directory (default 'hpbandster-data').");
        }

        if (o.DiscoveryTimeout <= TimeSpan.Zero)
        {
            throw new OrleansConfigurationException($"{nameof(HpBandSterOptions)}.{nameof(HpBandSterOptions.DiscoveryTimeout)} must be positive (got {o.DiscoveryTimeout}).");
        }

        if (o.SnapshotInterval < 0)
        {
            throw new OrleansConfigurationException($"{nameof(HpBandSterOptions)}.{nameof(HpBandSterOptions.SnapshotInterval)} must be 0 (no snapshots) or more journal entries (got {o.SnapshotInterval}).");
        }
    }
}
