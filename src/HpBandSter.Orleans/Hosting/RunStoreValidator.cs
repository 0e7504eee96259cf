using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.Hosting;

/// <summary>Checks at start-up that a run store is configured, and says which call configures one.</summary>
internal sealed class RunStoreValidator(IServiceProvider services) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (services.GetService<IRunStore>() is null)
        {
            throw new OrleansConfigurationException(
                "No run store is configured: call UseSqliteRunStore(path) (one machine), UsePostgresRunStore(connectionString) (a cluster) or UseInMemoryRunStore() (tests; nothing survives) on the silo builder.");
        }
    }
}
