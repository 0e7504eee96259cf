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

    /// <summary>
    /// Starts the silo, prints <see cref="SiloSettings.ReadyLine"/> to <paramref name="output"/> once it is active, and
    /// waits for shutdown. SIGTERM and Ctrl+C stop the host gracefully: the worker hands running jobs back to their
    /// runs before the silo leaves the cluster. Logs go to stderr, so stdout carries only the ready line.
    /// With <see cref="SiloSettings.Dashboard"/> the host is an ASP.NET Core web application whose only endpoint is
    /// the Orleans Dashboard; without it, a plain generic host with no HTTP listener at all.
    /// </summary>
    public static async Task<int> RunAsync(SiloSettings settings, TextWriter output, TextWriter error)
    {
        IHostApplicationBuilder builder;
        WebApplicationBuilder? web = null;
        if (settings.Dashboard is { } dashboard)
        {
            // Kestrel listens only where it is told (an ASPNETCORE_URLS in the environment is overridden).
            web = WebApplication.CreateSlimBuilder();
            web.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(dashboard));
            builder = web;
        }
        else
        {
            builder = Host.CreateApplicationBuilder();
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
        try
        {
            await host.StartAsync();
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
