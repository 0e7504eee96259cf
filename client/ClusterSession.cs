using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HpBandSter.Orleans.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using HpBandSter.Orleans.PostgreSql;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace HpBandSter.Client;

/// <summary>
/// Where a run goes: a silo started inside this process (the default), or a client connected to an existing cluster
/// (<c>--cluster</c>). Either way it hands out an <see cref="HpBandSterClient"/> and stops the host when disposed.
/// </summary>
internal sealed class ClusterSession : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    // A client reaches a gateway on the same machine within a second or so (a TLS one included).
    private static readonly TimeSpan EarlyProbeDelay = TimeSpan.FromSeconds(2);
    private readonly IHost _host;
    private readonly X509Certificate2? _certificate;

    /// <summary>How the cluster (and service) id of an embedded silo started without one begins; a random part follows.</summary>
    public const string EmbeddedClusterPrefix = "hpbandster-embedded-";

    private IDisposable? _held;

    private ClusterSession(IHost host, string description, X509Certificate2? certificate = null)
    {
        _host = host;
        _certificate = certificate;
        Description = description;
        Client = host.Services.GetRequiredService<HpBandSterClient>();
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    /// <summary>Starts, watches and cancels runs.</summary>
    public HpBandSterClient Client { get; }

    /// <summary>The grains, for reading a run's results page by page (live logs).</summary>
    public IGrainFactory Grains { get; }

    /// <summary>Where runs go, for the run's header line (for example <c>embedded silo, 4 slots</c>).</summary>
    public string Description { get; }

    /// <summary>
    /// Starts one silo in this process with <paramref name="slots"/> evaluation slots and the built-in objectives,
    /// on localhost clustering with a free loopback silo port (tried again with other ports if another process took
    /// it meanwhile). <paramref name="gatewayPort"/> 0 means no gateway: clients in this process need none.
    /// </summary>
    public static async Task<ClusterSession> StartEmbeddedAsync(
        int slots, string dataDirectory, TextWriter log, CancellationToken cancellationToken, int gatewayPort = 0, string? clusterId = null)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var siloPort = FreeLoopbackPort();
            var builder = CreateBuilder(log);
            var cluster = clusterId ?? $"{EmbeddedClusterPrefix}{Guid.NewGuid():N}";
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, primarySiloEndpoint: null, serviceId: cluster, clusterId: cluster)
                    .AddHpBandSter(o => o.DataDirectory = dataDirectory)
                    .AddHpBandSterWorker(o => o.Slots = slots)
                    .AddBuiltInObjectives();
            });
            var host = builder.Build();
            try
            {
                await host.StartAsync(cancellationToken);
                return new ClusterSession(host, $"embedded silo, {slots} {(slots == 1 ? "slot" : "slots")}");
            }
            catch (Exception e) when (attempt < Attempts && !cancellationToken.IsCancellationRequested && IsAddressInUse(e))
            {
                await StopAndDisposeAsync(host);
            }
            catch
            {
                await StopAndDisposeAsync(host);
                throw;
            }
        }
    }

    /// <summary>
    /// Connects a client to an existing cluster, through <paramref name="gatewayPorts"/> on localhost or, with
    /// <paramref name="postgres"/>, through the gateways its silos registered in PostgreSQL; gives up after
    /// <paramref name="connectTimeout"/> (Orleans itself keeps trying for minutes). With <paramref name="certificate"/>
    /// the connection uses TLS as the silos do (<see cref="ClusterTls"/>); the session owns the certificate then.
    /// When the connection fails because of TLS (one side uses it and the other does not, or a certificate is refused),
    /// the exception says so (<see cref="GatewayProbe"/>).
    /// </summary>
    /// <exception cref="TimeoutException">No gateway answered in time.</exception>
    public static async Task<ClusterSession> ConnectAsync(
        IReadOnlyList<int> gatewayPorts, string? postgres, string serviceId, string clusterId, TimeSpan connectTimeout, X509Certificate2? certificate, TextWriter log, CancellationToken cancellationToken)
    {
        var builder = CreateBuilder(log);

        // Every failed attempt is a warning; the CLI reports a failed connection itself (with GatewayProbe's reason).
        builder.Logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Messaging", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Connections.Security", LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            if (postgres is null)
            {
                client.UseLocalhostClustering([.. gatewayPorts], serviceId, clusterId);
            }
            else
            {
                client.UseHpBandSterPostgresClustering(postgres).Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = serviceId;
                });
            }

            if (certificate is not null)
            {
                client.UseTls(certificate, o => ClusterTls.Apply(o, certificate));
            }

            client.AddHpBandSterClient();
        });
        var host = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        Exception failure;
        GatewayProbe.Diagnosis? diagnosis = null;
        var probed = false;
        try
        {
            var starting = host.StartAsync(timeout.Token);

            // Orleans keeps trying a gateway that speaks the other protocol until the timeout; the gateways (the
            // localhost ports, or those the silos registered in PostgreSQL) are probed when none has answered after a
            // moment, and a TLS mismatch found ends the wait.
            if (await Task.WhenAny(starting, Task.Delay(EarlyProbeDelay, timeout.Token)) != starting && !timeout.IsCancellationRequested
                && await ProbedGatewaysAsync(gatewayPorts, postgres, clusterId, cancellationToken) is { Count: > 0 } gateways)
            {
                diagnosis = await GatewayProbe.DiagnoseAsync(gateways, certificate, ProbeTimeout, cancellationToken);
                probed = true;
                if (diagnosis is { TlsMismatch: true } && !starting.IsCompleted)
                {
                    await timeout.CancelAsync();
                }
            }

            await starting;
            return new ClusterSession(
                host,
                (postgres is null
                    ? $"cluster '{clusterId}' via gateway port {string.Join(", ", gatewayPorts)}"
                    : $"cluster '{clusterId}' via {PostgresConnectionText.Describe(postgres)}") + (certificate is null ? string.Empty : ", TLS"),
                certificate);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            failure = new TimeoutException($"no gateway answered within {connectTimeout.TotalSeconds:0.#} s; is a silo of that cluster running?");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            failure = e;
        }
        catch
        {
            await StopAndDisposeAsync(host);
            throw;
        }

        try
        {
            if (!probed && await ProbedGatewaysAsync(gatewayPorts, postgres, clusterId, cancellationToken) is { Count: > 0 } gateways)
            {
                diagnosis = await GatewayProbe.DiagnoseAsync(gateways, certificate, ProbeTimeout, cancellationToken);
            }

            if (diagnosis is not null)
            {
                // A TLS mismatch replaces the generic reason; anything else is added to it.
                failure = new TimeoutException(diagnosis.TlsMismatch ? diagnosis.Message : $"{failure.Message} ({diagnosis.Message})", failure);
            }
        }
        finally
        {
            await StopAndDisposeAsync(host);
        }

        throw failure;
    }

    /// <summary>A TCP port on 127.0.0.1 that is free right now.</summary>
    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Keeps <paramref name="resource"/> (a <see cref="RunLock"/>) until the session is disposed, after its silo stopped.</summary>
    public void Hold(IDisposable? resource) => _held = resource;

    public async ValueTask DisposeAsync()
    {
        await StopAndDisposeAsync(_host);
        _certificate?.Dispose();
        _held?.Dispose();
    }

    /// <summary>
    /// The gateways to probe for the reason a client cannot connect (<see cref="GatewayProbe"/>): the localhost ports
    /// it was given, or those the cluster's active silos registered in PostgreSQL (the rows the client's own gateway
    /// list is read from); none when PostgreSQL cannot tell.
    /// </summary>
    private static async Task<IReadOnlyList<DnsEndPoint>> ProbedGatewaysAsync(IReadOnlyList<int> gatewayPorts, string? postgres, string clusterId, CancellationToken cancellationToken)
    {
        if (postgres is null)
        {
            return LoopbackGateways(gatewayPorts);
        }

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ProbeTimeout);
            var gateways = await PostgresClusteringSchema.ActiveGatewaysAsync(postgres, clusterId, deadline.Token);
            return [.. gateways.Select(g => new DnsEndPoint(g.Address, g.Port))];
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return []; // Only a diagnosis: the connection attempt goes on and reports its own failure.
        }
    }

    /// <summary>The gateways a localhost client connects to (as UseLocalhostClustering configures them).</summary>
    private static List<DnsEndPoint> LoopbackGateways(IReadOnlyList<int> ports) => [.. ports.Select(p => new DnsEndPoint(IPAddress.Loopback.ToString(), p))];

    private static HostApplicationBuilder CreateBuilder(TextWriter log)
    {
        // No defaults: no appsettings.json or environment configuration, and no console logger writing to stdout.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // Warnings an embedded silo gives on every start and that say nothing about the run: the server GC advice,
        // and the watchdog's first check, which measures from an unset timestamp.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);

        // A host that fails to start logs it before throwing; the CLI reports the failure itself.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddProvider(new TextWriterLoggerProvider(log));
        return builder;
    }

    private static async Task StopAndDisposeAsync(IHost host)
    {
        using (var timeout = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await host.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    private static bool IsAddressInUse(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }

            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse))
            {
                return true;
            }
        }

        return false;
    }
}
