using System.Diagnostics;
using HpBandSter.Orleans.Client;
using HpBandSter.Orleans.Runs;
using HpBandSter.Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;

namespace HpBandSter.Benchmarks;

/// <summary>
/// A cluster of <c>hpbandster-silo</c> processes on 127.0.0.1 and an Orleans client in this process that reaches
/// them through their gateways. Localhost clustering: a primary (which keeps the membership table) starts first,
/// the others join it; runs live in SQLite in the shared data directory. PostgreSQL clustering: all silos start at
/// once and keep membership and runs in the database. Ports are free ports chosen now; the cluster id is unique;
/// dispose kills every silo and deletes the data directory.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly List<SiloProcessHandle> _silos = [];
    private readonly int _slots;
    private readonly string _objectives;
    private readonly string? _postgres;
    private IHost? _client;

    private ProcessCluster(int slots, string objectives, string? postgres)
    {
        _slots = slots;
        _objectives = objectives;
        _postgres = postgres;
        ClusterId = (postgres is null ? "bench-" : "bench-pg-") + Guid.NewGuid().ToString("N")[..12];
        DataDirectory = Path.Combine(Path.GetTempPath(), "hpbandster-bench-cluster", ClusterId);
    }

    public string ClusterId { get; }

    public string DataDirectory { get; }

    public IReadOnlyList<SiloProcessHandle> Silos => _silos;

    /// <summary>The silos that still run.</summary>
    public IEnumerable<SiloProcessHandle> Alive => _silos.Where(s => !s.HasExited);

    public bool IsPostgres => _postgres is not null;

    public HpBandSterClient Client => Services.GetRequiredService<HpBandSterClient>();

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    private IServiceProvider Services => (_client ?? throw new InvalidOperationException("No client is connected.")).Services;

    /// <summary>Starts <paramref name="siloCount"/> silos (localhost clustering, or PostgreSQL when a connection string is given) and connects a client.</summary>
    public static async Task<ProcessCluster> StartAsync(int siloCount, int slots, string objectives, string? postgres = null)
    {
        var cluster = new ProcessCluster(slots, objectives, postgres);
        try
        {
            await cluster.StartSilosAsync(siloCount);
            await cluster.ConnectClientAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> more silos on new ports over the same data directory and cluster id (for example
    /// after every silo was killed: a localhost cluster then gets a new primary) and returns once they are ready.
    /// </summary>
    public Task StartSilosAsync(int count) => _postgres is { } cs ? StartPostgresSilosAsync(count, cs) : StartLocalhostSilosAsync(count);

    /// <summary>Starts one more silo of a localhost cluster that joins the first silo (the primary), and waits until it is ready.</summary>
    public async Task AddLocalhostSiloAsync()
    {
        var ports = LoopbackPorts.Free(2);
        var silo = SiloProcessHandle.StartLocalhost($"silo{_silos.Count}", ports[0], ports[1], _silos[0].SiloPort, ClusterId, _slots, _objectives, DataDirectory);
        _silos.Add(silo);
        await silo.WaitReadyAsync(ReadyTimeout);
    }

    /// <summary>SIGKILL every silo (their peak memory is read first).</summary>
    public void KillAll()
    {
        foreach (var silo in Alive.ToList())
        {
            silo.KillAfterPeak();
        }
    }

    /// <summary>Connects a new client to the gateways of the silos that run (replacing an old client).</summary>
    public async Task ConnectClientAsync()
    {
        await StopClientAsync();
        var gateways = Alive.Select(s => s.GatewayPort).ToArray();
        _client = await OrleansClientHost.StartAsync(
            c =>
            {
                if (_postgres is { } cs)
                {
                    c.UseHpBandSterPostgresClustering(cs).Configure<global::Orleans.Configuration.ClusterOptions>(o =>
                    {
                        o.ClusterId = ClusterId;
                        o.ServiceId = ClusterId;
                    });
                }
                else
                {
                    c.UseLocalhostClustering(gateways, ClusterId, ClusterId);
                }
            },
            ReadyTimeout);
    }

    /// <summary>Stops the client (a client that knew only dead gateways is of no use).</summary>
    public async Task StopClientAsync()
    {
        if (_client is { } client)
        {
            _client = null;
            await OrleansClientHost.StopAsync(client);
        }
    }

    /// <summary>The cluster's run store, opened by this process (SQLite in the data directory, or PostgreSQL).</summary>
    public async Task<IRunStore> OpenStoreAsync()
    {
        IRunStore store = _postgres is { } cs ? new PostgresRunStore(cs) : new SqliteRunStore(Path.Combine(DataDirectory, "runs.db"));
        await store.InitializeAsync();
        return store;
    }

    /// <summary>The silo a silo key (<c>127.0.0.1:11112@123456</c>) names.</summary>
    public SiloProcessHandle? SiloOf(string? siloKey) => siloKey is null ? null : _silos.FirstOrDefault(s => s.SiloPort == SiloKey.PortOf(siloKey));

    /// <summary>Jobs of the run running on <paramref name="silo"/>.</summary>
    public static int RunningOn(RunStatus status, SiloProcessHandle silo) =>
        status.RunningBySilo.Where(kv => SiloKey.PortOf(kv.Key) == silo.SiloPort).Sum(kv => kv.Value);

    /// <summary>
    /// Polls the run's status (about every <paramref name="interval"/>) until <paramref name="condition"/> holds. Each
    /// call is bounded to a second (one through a dead gateway can hang) and retried until <paramref name="timeout"/>.
    /// </summary>
    public async Task<RunStatus> WaitForStatusAsync(string runId, Func<RunStatus, bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        RunStatus? last = null;
        Exception? lastError = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await Client.GetStatusAsync(runId).WaitAsync(TimeSpan.FromSeconds(1));
                lastError = null;
                if (condition(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                lastError = e;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(20));
        }

        throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting until {what}.\nLast status: {RunStatusText.Describe(last)}\nLast error: {lastError?.Message}\n{Tails}");
    }

    public string Tails => string.Join("\n", _silos.Select(s => s.Tail));

    public async ValueTask DisposeAsync()
    {
        await StopClientAsync();
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        catch (IOException)
        {
        }
    }

    private async Task StartLocalhostSilosAsync(int count)
    {
        var ports = LoopbackPorts.Free(2 * count);
        var primaryPort = ports[0];
        var first = _silos.Count;
        for (var i = 0; i < count; i++)
        {
            var silo = SiloProcessHandle.StartLocalhost($"silo{first + i}", ports[2 * i], ports[(2 * i) + 1], primaryPort, ClusterId, _slots, _objectives, DataDirectory);
            _silos.Add(silo);
            if (i == 0)
            {
                // The others join through the primary's membership table: it must be up first.
                await silo.WaitReadyAsync(ReadyTimeout);
            }
        }

        await Task.WhenAll(_silos.Skip(first + 1).Select(s => s.WaitReadyAsync(ReadyTimeout)));
    }

    private async Task StartPostgresSilosAsync(int count, string connectionString)
    {
        var ports = LoopbackPorts.Free(2 * count);
        var first = _silos.Count;
        for (var i = 0; i < count; i++)
        {
            _silos.Add(SiloProcessHandle.StartPostgres($"pgsilo{first + i}", ports[2 * i], ports[(2 * i) + 1], ClusterId, _slots, _objectives, DataDirectory, connectionString));
        }

        await Task.WhenAll(_silos.Skip(first).Select(s => s.WaitReadyAsync(ReadyTimeout)));
    }
}
