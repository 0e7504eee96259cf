using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using HpBandSter.Orleans.Diagnostics;
using HpBandSter.Orleans.PostgreSql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace HpBandSter.Silo;

/// <summary>Builds the generic host with the Orleans silo and runs it until SIGTERM or Ctrl+C.</summary>
internal static class SiloHost
{
    /// <summary>Exit code when the silo cannot start (port in use, primary unreachable, invalid configuration).</summary>
    public const int StartFailed = 1;

    /// <summary>How long past its join timeout a silo waits for the start to unwind before it exits regardless.</summary>
    private static readonly TimeSpan JoinGiveUpGrace = TimeSpan.FromSeconds(10);

    /// <summary>The host setting that turns off reloading (and so watching) appsettings.json.</summary>
    private const string NoReloadOnChange = "hostBuilder:reloadConfigOnChange";

    /// <summary>
    /// Starts the silo, prints <see cref="SiloSettings.ReadyLine"/> to <paramref name="output"/> once it is active, and
    /// waits for shutdown. SIGTERM and Ctrl+C stop the host gracefully: the worker hands running jobs back to their
    /// runs before the silo leaves the cluster. Logs go to stderr, so stdout carries only the ready line.
    /// With <see cref="SiloSettings.Dashboard"/> the host is an ASP.NET Core web application whose only endpoint is
    /// the Orleans Dashboard; without it, a plain generic host with no HTTP listener at all.
    /// </summary>
    public static async Task<int> RunAsync(SiloSettings settings, TextWriter output, TextWriter error)
    {
        // No host defaults that watch files: the defaults reload appsettings.json on change by watching the content
        // root (the current directory) recursively, and the data directory usually lives below it, so every journal
        // write and job directory raised file events in every silo, which cost more CPU than dispatching the
        // evaluations. The silo reads its configuration once (ConfigurationFile) and sets up its own logging.
        IHostApplicationBuilder builder;
        WebApplicationBuilder? web = null;
        if (settings.Dashboard is { } dashboard)
        {
            // Kestrel listens only where it is told (an ASPNETCORE_URLS in the environment is overridden).
            web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [$"--{NoReloadOnChange}=false"] });
            web.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(dashboard));
            builder = web;
        }
        else
        {
            builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        if (settings.OtlpEndpoint is { } otlp)
        {
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("hpbandster-silo", serviceInstanceId: $"{settings.Address}:{settings.SiloPort}"))
                .WithMetrics(metrics => metrics
                    .AddMeter(HpBandSterMetrics.MeterName, "Microsoft.Orleans")
                    .AddOtlpExporter(o =>
                    {
                        o.Endpoint = otlp;
                        o.Protocol = OtlpExportProtocol.HttpProtobuf;
                    }));
        }

        try
        {
            builder.UseOrleans(silo =>
            {
                ConfigureClustering(silo, settings);
                silo.AddHpBandSter(o => o.DataDirectory = settings.DataDirectory)
                    .AddHpBandSterWorker(o =>
                    {
                        o.Slots = settings.Slots;
                        o.IdleTimeout = settings.IdleTimeout;
                        o.ExitWhenRunsEnd = settings.WorkerMode;
                    })
                    .AddBuiltInObjectives(settings.Objectives);
                if (settings.Dashboard is not null)
                {
                    silo.AddDashboard();
                }

                AddObjectives(silo, settings);
                ConfigureStore(silo, settings);
                if (settings.TlsCertificate is { } certificate)
                {
                    SiloTls.Configure(silo, certificate);
                }
            });
        }
        catch (ArgumentException e)
        {
            // A command objective or plugin the silo cannot use: a configuration error, named by the message.
            error.WriteLine($"error: {e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)}");
            error.WriteLine("Run 'hpbandster-silo --help' for usage.");
            return SiloCommand.UsageError;
        }

        using var host = Build(builder, web);
        using var joinDeadline = new CancellationTokenSource();
        try
        {
            var start = host.StartAsync(joinDeadline.Token);
            if (settings.JoinTimeout is { } joinTimeout)
            {
                joinDeadline.CancelAfter(joinTimeout);
                try
                {
                    // Orleans gives up when the token is cancelled; should some stage not listen, do not wait for it.
                    await start.WaitAsync(joinTimeout + JoinGiveUpGrace);
                }
                catch (TimeoutException)
                {
                    error.WriteLine(JoinTimeoutMessage(settings, joinTimeout));
                    error.Flush();
                    Environment.Exit(StartFailed);
                }
            }
            else
            {
                await start;
            }

            // Joined: the deadline no longer applies (nothing started with its token may be cancelled later).
            joinDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (Exception) when (joinDeadline.IsCancellationRequested && settings.JoinTimeout is { } joinTimeout)
        {
            error.WriteLine(JoinTimeoutMessage(settings, joinTimeout));
            return StartFailed;
        }
        catch (Exception e)
        {
            var message = Explain(e);
            if (settings.PostgresConnectionString is { } cs)
            {
                message = PostgresConnectionText.Scrub(message, cs);
            }

            error.WriteLine($"hpbandster-silo: the silo could not start: {message}");
            return StartFailed;
        }

        output.WriteLine(settings.ReadyLine);
        output.Flush();
        await host.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>
    /// Why a silo did not join within its join timeout, and what to check: the primary silo's address (localhost
    /// clustering) or the database (PostgreSQL), and the cluster and service ids that must match.
    /// </summary>
    private static string JoinTimeoutMessage(SiloSettings settings, TimeSpan joinTimeout)
    {
        var within = $"{joinTimeout.TotalSeconds:0.###} s ({settings.JoinTimeoutSource})";
        var ids = $"cluster id '{settings.ClusterId}' and service id '{settings.ServiceId}' (--cluster-id, --service-id)";
        var check = settings.Clustering == ClusteringKind.Postgres && settings.PostgresConnectionString is { } cs
            ? $"Check that PostgreSQL ({PostgresConnectionText.Describe(cs)}) is reachable from this node (--postgres) and that the cluster's silos use {ids}."
            : settings.SiloPort == settings.PrimaryPort
                ? $"This silo is the primary (its --silo-port equals --primary-port {settings.PrimaryPort}); check its log above (--log-level information)."
                : $"Check that the primary silo is up and listening at {settings.Address}:{settings.PrimaryPort} (--address, --primary-port) and uses {ids}.";
        return $"hpbandster-silo: could not join the cluster within {within}; exiting. {check}";
    }

    /// <summary>The host: the web application with the dashboard mapped at its root, else the generic host.</summary>
    private static IHost Build(IHostApplicationBuilder builder, WebApplicationBuilder? web)
    {
        if (web is null)
        {
            return ((HostApplicationBuilder)builder).Build();
        }

        var app = web.Build();
        app.MapOrleansDashboard();
        return app;
    }

    /// <summary>
    /// The message of a start failure. Orleans wraps a failed lifecycle stage in an exception that only names the
    /// stage; the cause (for example the PostgreSQL schema check) is the inner exception.
    /// </summary>
    private static string Explain(Exception e)
    {
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                current = aggregate.InnerExceptions[0];
            }

            if (current is PostgresClusteringException)
            {
                return current.Message;
            }

            messages.Add(current.Message);
        }

        return string.Join(" → ", messages.Distinct());
    }

    private static void ConfigureStore(ISiloBuilder silo, SiloSettings settings)
    {
        // Runs live where every silo of the cluster can read them: PostgreSQL with postgres clustering, else the
        // SQLite file <data dir>/runs.db (silos of one machine share it when they share the data directory).
        if (settings.Clustering == ClusteringKind.Postgres && settings.PostgresConnectionString is { } connectionString)
        {
            silo.UsePostgresRunStore(connectionString);
        }
    }

    /// <summary>Command objectives from the configuration file and the objectives of plugin assemblies.</summary>
    private static void AddObjectives(ISiloBuilder silo, SiloSettings settings)
    {
        foreach (var (name, options) in settings.CommandObjectives)
        {
            silo.AddCommandObjective(name, options);
        }

        List<string> pluginObjectives = [];
        foreach (var plugin in settings.Plugins)
        {
            pluginObjectives.AddRange(silo.AddObjectivePlugin(plugin));
        }

        var duplicate = settings.Objectives.Concat(settings.CommandObjectives.Select(c => c.Name)).Concat(pluginObjectives)
            .GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"The objective name '{duplicate.Key}' is offered twice (built-in, command objective or plugin); give each its own name.");
        }

        settings.PluginObjectives = pluginObjectives;
    }

    private static void ConfigureClustering(ISiloBuilder silo, SiloSettings settings)
    {
        switch (settings.Clustering)
        {
            case ClusteringKind.Postgres:
                silo.UseHpBandSterPostgresClustering(settings.PostgresConnectionString!);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = settings.ClusterId;
                    o.ServiceId = settings.ServiceId;
                });
                break;
            case ClusteringKind.Localhost:
                silo.UseLocalhostClustering(
                    settings.SiloPort,
                    settings.GatewayPort,
                    new IPEndPoint(settings.Address, settings.PrimaryPort),
                    settings.ServiceId,
                    settings.ClusterId);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Clustering, "Unknown clustering.");
        }

        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = settings.Address;
            o.SiloPort = settings.SiloPort;
            o.GatewayPort = settings.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(settings.Address, settings.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(settings.Address, settings.GatewayPort);
        });
    }
}
