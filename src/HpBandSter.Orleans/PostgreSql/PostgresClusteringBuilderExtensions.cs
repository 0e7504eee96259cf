using HpBandSter.Orleans.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Orleans.Hosting;

/// <summary>Orleans membership on PostgreSQL with HpBandSter's own schema (Orleans' ADO.NET clustering, invariant <c>Npgsql</c>).</summary>
public static class PostgresClusteringBuilderExtensions
{
    /// <summary>The ADO.NET invariant name Orleans maps to Npgsql's factory.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// Keeps the silo's membership in PostgreSQL. At silo start, before membership reads the table, the schema is
    /// created if missing (<see cref="PostgresClusteringSchema.EnsureAsync"/>); an unreachable database, refused
    /// credentials or a newer schema version stop the silo with a message that names host, port, database and
    /// user but never the password. The silo's cluster id (<c>ClusterOptions.ClusterId</c>) keeps clusters apart.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is not a valid Npgsql connection string.</exception>
    public static ISiloBuilder UseHpBandSterPostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PostgresConnectionText.Parse(connectionString);
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new PostgresClusteringLifecycle(connectionString));
        return builder.UseAdoNetClustering(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
    }

    /// <summary>
    /// Finds the cluster's gateways in PostgreSQL (active silos of the client's cluster id). The schema must exist:
    /// a silo with <see cref="UseHpBandSterPostgresClustering(ISiloBuilder, string)"/> creates it.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is not a valid Npgsql connection string.</exception>
    public static IClientBuilder UseHpBandSterPostgresClustering(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PostgresConnectionText.Parse(connectionString);
        return builder.UseAdoNetClustering(o =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = connectionString;
        });
    }
}
