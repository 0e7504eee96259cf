using HpBandSter.Objectives;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Hosting;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using HpBandSter.Orleans.Workers;
using HpBandSter.Spaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Hosting;

/// <summary>Adds HpBandSter's run grains, worker slots and objectives to an Orleans silo.</summary>
public static class HpBandSterSiloBuilderExtensions
{
    /// <summary>
    /// Adds the run grains and what they need: the cluster directory (membership-driven discovery of workers), the
    /// worker placement, and an <see cref="HpBandSterClient"/> for code in the silo's process. Idempotent.
    /// </summary>
    public static ISiloBuilder AddHpBandSter(this ISiloBuilder builder, Action<HpBandSterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<HpBandSterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(ClusterDirectory)))
        {
            return builder;
        }

        services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<HpBandSterOptions>>((membership, hpbandster) =>
        {
            if (hpbandster.Value.FastFailureDetection)
            {
                HpBandSterMembership.ApplyFastFailureDetection(membership);
            }
        });
        // Run grains keep their state in memory. With Orleans' default grain directory (a DHT without replicas) a
        // silo that dies takes the directory entries it owned with it, whichever silo hosts those grains; the next
        // call to such a run then activated a second, empty run grain while the first kept running unseen (seen in
        // the multi-process kill test). The distributed directory recovers the entries from the surviving silos.
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10; the directory that survives a silo crash.
        builder.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        services.AddSingleton<IConfigurationValidator, HpBandSterOptionsValidator>();
        services.AddSingleton<ObjectiveRegistry>();
        services.AddSingleton<ClusterDirectory>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClusterDirectory>());
        services.TryAddSingleton<HpBandSterClient>();
        // The embedded default: runs survive a crash of the process, in <DataDirectory>/runs.db.
        services.TryAddSingleton<IRunStore>(sp => new SqliteRunStore(Path.Combine(sp.GetRequiredService<IOptions<HpBandSterOptions>>().Value.DataDirectory, "runs.db")));
        services.AddSingleton<RunReviver>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<RunReviver>());
        services.AddSingleton<IConfigurationValidator, RunStoreValidator>();
        builder.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        builder.AddPlacementDirector<RunPlacement, RunPlacementDirector>();
        return builder;
    }

    /// <summary>
    /// Keeps runs in this process's memory (<see cref="InMemoryRunStore.Shared"/>, one shared by every silo of the
    /// process, as an in-process test cluster needs): for tests and throw-away runs. Nothing survives the process.
    /// </summary>
    /// <remarks>
    /// Clusters in one process are best kept on stores of their own (the overload that takes one): a silo brings back
    /// every unfinished run of its store that belongs to its service id, so two clusters of one service id on one
    /// store would activate each other's runs, and one cluster's runs are another's clutter.
    /// </remarks>
    public static ISiloBuilder UseInMemoryRunStore(this ISiloBuilder builder) =>
        builder.UseInMemoryRunStore(InMemoryRunStore.Shared);

    /// <summary>Keeps runs in <paramref name="store"/>; give every silo of one cluster the same instance, and each cluster its own.</summary>
    public static ISiloBuilder UseInMemoryRunStore(this ISiloBuilder builder, InMemoryRunStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return builder.UseRunStore(_ => store);
    }

    /// <summary>
    /// Keeps runs in a SQLite file (WAL; durable against process crashes). This is the default, at
    /// <c>&lt;DataDirectory&gt;/runs.db</c>. Silos of one machine may share the file.
    /// </summary>
    public static ISiloBuilder UseSqliteRunStore(this ISiloBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseRunStore(_ => new SqliteRunStore(path));
    }

    /// <summary>Keeps runs in PostgreSQL (tables prefixed <c>hpbandster_</c>, created on first start), for a cluster of machines.</summary>
    public static ISiloBuilder UsePostgresRunStore(this ISiloBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseRunStore(_ => new PostgresRunStore(connectionString));
    }

    /// <summary>Keeps runs in the given store (replacing any other store configured before).</summary>
    public static ISiloBuilder UseRunStore(this ISiloBuilder builder, Func<IServiceProvider, IRunStore> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        builder.AddHpBandSter();
        builder.Services.RemoveAll<IRunStore>();
        builder.Services.AddSingleton(create);
        return builder;
    }

    /// <summary>Gives this silo evaluation slots (default: one per processor). Idempotent; also adds <see cref="AddHpBandSter"/>.</summary>
    public static ISiloBuilder AddHpBandSterWorker(this ISiloBuilder builder, Action<WorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddHpBandSter();
        var services = builder.Services;
        var options = services.AddOptions<WorkerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!services.Any(d => d.ServiceType == typeof(EvaluationSlots)))
        {
            services.AddSingleton<IConfigurationValidator, WorkerOptionsValidator>();
            services.AddSingleton<EvaluationSlots>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<EvaluationSlots>());
            services.AddSingleton<WorkerExit>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WorkerExit>());
            services.AddSingleton<CompletedRunSweep>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CompletedRunSweep>());
        }

        return builder;
    }

    /// <summary>Registers an objective class under <paramref name="name"/> (created once, with dependency injection).</summary>
    public static ISiloBuilder AddObjective<TObjective>(this ISiloBuilder builder, string name)
        where TObjective : class, IObjective =>
        builder.AddObjective(name, sp => ActivatorUtilities.CreateInstance<TObjective>(sp));

    /// <summary>Registers an objective instance made by <paramref name="create"/> under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddObjective(this ISiloBuilder builder, string name, Func<IServiceProvider, IObjective> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        ValidateName(name);
        builder.AddHpBandSter();
        builder.Services.AddSingleton(new ObjectiveRegistration(name, create));
        return builder;
    }

    /// <summary>Registers a function as the objective <paramref name="name"/>, with the search space runs use by default.</summary>
    public static ISiloBuilder AddObjective(
        this ISiloBuilder builder,
        string name,
        Func<global::HpBandSter.Spaces.Configuration, double, ObjectiveContext, ValueTask<ObjectiveResult>> evaluate,
        ConfigurationSpace? searchSpace = null)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        return builder.AddObjective(name, _ => new DelegateObjective(evaluate, searchSpace));
    }

    /// <summary>Registers a synchronous loss function (configuration, budget → loss) as the objective <paramref name="name"/>.</summary>
    public static ISiloBuilder AddObjective(this ISiloBuilder builder, string name, Func<global::HpBandSter.Spaces.Configuration, double, double> loss, ConfigurationSpace? searchSpace = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return builder.AddObjective(name, (config, budget, _) => ValueTask.FromResult(new ObjectiveResult(loss(config, budget))), searchSpace);
    }

    /// <summary>Registers Core's benchmark problems (toy, branin, hartmann6, countingones), or the named ones.</summary>
    /// <exception cref="ArgumentException">A name is not a built-in objective.</exception>
    public static ISiloBuilder AddBuiltInObjectives(this ISiloBuilder builder, IEnumerable<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var problems = names is null ? BenchmarkObjectives.All : [.. names.Select(BenchmarkObjectives.Get)];
        foreach (var problem in problems)
        {
            builder.AddObjective(problem.Name, _ => new BuiltInObjective(problem));
        }

        return builder;
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace) || name.Any(char.IsControl))
        {
            throw new ArgumentException($"AddObjective: the name '{name}' is not usable; use a non-empty name without spaces (runs name the objective by it).", nameof(name));
        }
    }
}
