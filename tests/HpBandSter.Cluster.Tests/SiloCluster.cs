using System.Diagnostics;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// A localhost cluster of <c>hpbandster-silo</c> processes on 127.0.0.1 (a primary, which keeps the membership
/// table, and others that join it) with an Orleans client in the test process. Ports are free ports chosen now,
/// the cluster id is unique, and every process is killed on dispose.
/// </summary>
internal sealed class SiloCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    // All PostgreSQL silos start at once (no primary first), while other test assemblies run: on two busy cores
    // that took more than 30 s once.
    private static readonly TimeSpan PostgresReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<SiloProcess> _silos = [];
    private readonly string _dataDirectory;
    private IHost? _client;
    private Action<IClientBuilder>? _clientClustering;
    private string? _connectionString;
    private int _slots;
    private string _objectives = string.Empty;

    private SiloCluster(string clusterId, string dataDirectory)
    {
        ClusterId = clusterId;
        _dataDirectory = dataDirectory;
    }

    public string ClusterId { get; }

    /// <summary>The silos' data directory (with the localhost cluster's run store, runs.db).</summary>
    public string DataDirectory => _dataDirectory;

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public SiloProcess Primary => _silos[0];

    public HpBandSterClient Client => _client!.Services.GetRequiredService<HpBandSterClient>();

    /// <summary>
    /// Starts <paramref name="siloCount"/> silos with membership in PostgreSQL (all at once: no silo is special, and
    /// they create the schema together), then a client that finds their gateways in PostgreSQL.
    /// </summary>
    public static async Task<SiloCluster> StartPostgresAsync(int siloCount, int slots, string objectives, string connectionString)
    {
        var clusterId = "pg-" + Guid.NewGuid().ToString("N")[..12];
        var cluster = new SiloCluster(clusterId, Path.Combine(Path.GetTempPath(), "hpbandster-cluster-tests", clusterId))
        {
            _connectionString = connectionString,
            _slots = slots,
            _objectives = objectives,
        };
        try
        {
            var ports = LoopbackPorts.Free(2 * siloCount);
            for (var i = 0; i < siloCount; i++)
            {
                cluster._silos.Add(SiloProcess.StartPostgresSilo($"pgsilo{i}", ports[2 * i], ports[(2 * i) + 1], clusterId, slots, objectives, cluster._dataDirectory, connectionString));
            }

            await Task.WhenAll(cluster._silos.Select(s => s.WaitReadyAsync(PostgresReadyTimeout)));
            await cluster.StartClientAsync(c => c.UseHpBandSterPostgresClustering(connectionString).Configure<global::Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = clusterId;
            }));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the primary, then the others together, then connects a client to all their gateways.</summary>
    public static async Task<SiloCluster> StartAsync(int siloCount, int slots, string objectives)
    {
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..12];
        var cluster = new SiloCluster(clusterId, Path.Combine(Path.GetTempPath(), "hpbandster-cluster-tests", clusterId)) { _slots = slots, _objectives = objectives };
        try
        {
            await cluster.StartLocalhostSilosAsync(siloCount);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts one localhost silo with <paramref name="extraArguments"/> (such as --config FILE) and extra environment
    /// variables (see <see cref="SiloProcess.StartConfigured"/>), then a client connected to it.
    /// </summary>
    public static async Task<SiloCluster> StartConfiguredAsync(IEnumerable<string> extraArguments, IReadOnlyDictionary<string, string>? environment = null, Action<IClientBuilder>? configureClient = null)
    {
        var clusterId = "conf-" + Guid.NewGuid().ToString("N")[..12];
        var cluster = new SiloCluster(clusterId, Path.Combine(Path.GetTempPath(), "hpbandster-cluster-tests", clusterId));
        try
        {
            var ports = LoopbackPorts.Free(2);
            var silo = SiloProcess.StartConfigured("silo", ports[0], ports[1], clusterId, cluster._dataDirectory, extraArguments, environment);
            cluster._silos.Add(silo);
            await silo.WaitReadyAsync(ReadyTimeout);
            await cluster.StartClientAsync(c =>
            {
                c.UseLocalhostClustering([silo.GatewayPort], clusterId, clusterId);
                configureClient?.Invoke(c);
            });
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// After every silo of a localhost cluster was killed: starts <paramref name="siloCount"/> new silos on new ports
    /// (a new primary first) over the same data directory and cluster id, and a client that knows their gateways.
    /// </summary>
    public async Task RestartLocalhostAsync(int siloCount)
    {
        if (_silos.Any(s => !s.HasExited))
        {
            throw new InvalidOperationException("Kill every silo before restarting the cluster.");
        }

        await StopClientAsync();
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        _silos.Clear();
        await StartLocalhostSilosAsync(siloCount);
    }

    private async Task StartLocalhostSilosAsync(int siloCount)
    {
        var ports = LoopbackPorts.Free(2 * siloCount);
        var primaryPort = ports[0];
        for (var i = 0; i < siloCount; i++)
        {
            var silo = SiloProcess.StartSilo(i == 0 ? "primary" : $"silo{i}", ports[2 * i], ports[(2 * i) + 1], primaryPort, ClusterId, _slots, _objectives, _dataDirectory);
            _silos.Add(silo);
            if (i == 0)
            {
                // The others join through the primary's membership table: it must be up first.
                await silo.WaitReadyAsync(ReadyTimeout);
            }
        }

        await Task.WhenAll(_silos.Skip(1).Select(s => s.WaitReadyAsync(ReadyTimeout)));
        var (gateways, clusterId) = (_silos.Select(s => s.GatewayPort).ToArray(), ClusterId);
        await StartClientAsync(c => c.UseLocalhostClustering(gateways, clusterId, clusterId));
    }

    /// <summary>
    /// Starts <paramref name="count"/> more silos of a PostgreSQL cluster (new ports, the same database, cluster id and
    /// data directory), for example after all others were killed; returns them once they are ready (at most
    /// <paramref name="readyTimeout"/>).
    /// </summary>
    public async Task<IReadOnlyList<SiloProcess>> StartMorePostgresSilosAsync(int count, TimeSpan readyTimeout)
    {
        var connectionString = _connectionString ?? throw new InvalidOperationException("Not a PostgreSQL cluster.");
        var ports = LoopbackPorts.Free(2 * count);
        var first = _silos.Count;
        for (var i = 0; i < count; i++)
        {
            _silos.Add(SiloProcess.StartPostgresSilo($"pgsilo{first + i}", ports[2 * i], ports[(2 * i) + 1], ClusterId, _slots, _objectives, _dataDirectory, connectionString));
        }

        var started = _silos.Skip(first).ToList();
        await Task.WhenAll(started.Select(s => s.WaitReadyAsync(readyTimeout)));
        return started;
    }

    /// <summary>Stops the client (for example when every silo it knew was killed).</summary>
    public async Task StopClientAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            await OrleansClientHost.StopAsync(client);
        }
    }

    /// <summary>Replaces the client by a new one with the same clustering (a client that never saw the run before).</summary>
    public async Task ReconnectClientAsync()
    {
        await StopClientAsync();
        await StartClientAsync(_clientClustering ?? throw new InvalidOperationException("No client was ever started."));
    }

    private async Task StartClientAsync(Action<IClientBuilder> clustering)
    {
        _clientClustering = clustering;
        _client = await OrleansClientHost.StartAsync(clustering, ReadyTimeout);
    }

    /// <summary>The output tails of all silos, for failure messages.</summary>
    public string Tails => string.Join("\n", _silos.Select(s => s.Tail));

    /// <summary>The silo whose port a silo key (<c>SiloAddress.ToParsableString()</c>, <c>127.0.0.1:11112@123456</c>) names.</summary>
    public SiloProcess? SiloOf(string? siloKey) => siloKey is null ? null : _silos.FirstOrDefault(s => s.SiloPort == SiloKey.PortOf(siloKey));

    /// <summary>
    /// Polls the run's status until <paramref name="condition"/> holds; fails after <paramref name="timeout"/> with
    /// the last status and the silos' output. Calls that fail (a gateway died) are retried until the deadline.
    /// </summary>
    public async Task<RunStatus> WaitForStatusAsync(string runId, Func<RunStatus, bool> condition, TimeSpan timeout, string what, Action<string>? trace = null)
    {
        var clock = Stopwatch.StartNew();
        RunStatus? last = null;
        Exception? lastError = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                var call = clock.Elapsed;
                // A call sent through the gateway of a silo that was just killed can hang until the client's
                // response timeout; a short per-call timeout keeps the measured times close to the truth.
                var status = await Client.GetStatusAsync(runId).WaitAsync(TimeSpan.FromSeconds(1));
                if (trace is not null && (last is null || RunStatusText.Describe(last with { ElapsedSeconds = 0 }) != RunStatusText.Describe(status with { ElapsedSeconds = 0 })))
                {
                    trace($"  +{clock.Elapsed.TotalSeconds:0.000} s (call took {(clock.Elapsed - call).TotalMilliseconds:0} ms): {RunStatusText.Describe(status)}");
                }

                last = status;
                lastError = null;
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                trace?.Invoke($"  +{clock.Elapsed.TotalSeconds:0.000} s: status call failed: {e.GetType().Name}: {e.Message}");
                lastError = e;
            }

            // Status is cheap to read; a short poll interval keeps the measured times honest.
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        throw new TimeoutException(
            $"Timed out after {timeout.TotalSeconds} s waiting until {what}.\nLast status: {RunStatusText.Describe(last)}\nLast error: {lastError}\n{Tails}");
    }

    /// <summary>Follows the run to its end (long polls), retrying calls that fail, at most <paramref name="timeout"/>.</summary>
    public async Task<RunStatus> WaitForEndAsync(string runId, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        RunStatus? last = null;
        while (true)
        {
            try
            {
                return await Client.WaitForEndAsync(runId, s => last = s, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The run did not end within {timeout.TotalSeconds} s.\nLast status: {RunStatusText.Describe(last)}\n{Tails}");
            }
            catch (Exception e) when (e is not OperationCanceledException && !deadline.IsCancellationRequested)
            {
                // A call went through a gateway that died; the client uses the others.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopClientAsync();

        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
