using Orleans;
using Orleans.Runtime;

namespace HpBandSter.Orleans.PostgreSql;

/// <summary>
/// Runs <see cref="PostgresClusteringSchema.EnsureAsync"/> at the silo lifecycle's first stage, before the
/// membership table manager (stage RuntimeInitialize) reads the query rows.
/// </summary>
internal sealed class PostgresClusteringLifecycle(string connectionString) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresClusteringLifecycle), ServiceLifecycleStage.First, ct => PostgresClusteringSchema.EnsureAsync(connectionString, ct));
}
