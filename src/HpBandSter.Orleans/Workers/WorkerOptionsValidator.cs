using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Workers;

/// <summary>Checks <see cref="WorkerOptions"/> at silo start-up; messages name the option.</summary>
internal sealed class WorkerOptionsValidator(IOptions<WorkerOptions> options) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var o = options.Value;
        if (o.Slots is < 0 or > 4096)
        {
            throw new OrleansConfigurationException($"{nameof(WorkerOptions)}.{nameof(WorkerOptions.Slots)} must be between 0 and 4096 (got {o.Slots}); it is how many evaluations this silo runs at once.");
        }

        if (o.HandBackTimeout < TimeSpan.Zero)
        {
            throw new OrleansConfigurationException($"{nameof(WorkerOptions)}.{nameof(WorkerOptions.HandBackTimeout)} must not be negative (got {o.HandBackTimeout}).");
        }

        if (o.IdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            throw new OrleansConfigurationException($"{nameof(WorkerOptions)}.{nameof(WorkerOptions.IdleTimeout)} must be positive (got {idle}); leave it unset to never stop when idle.");
        }
    }
}
