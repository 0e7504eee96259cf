using System.Net;
using System.Net.Sockets;
using System.Text;
using HpBandSter.Orleans.Storage;
using Npgsql;

namespace HpBandSter.Storage.Tests;

/// <summary>
/// The conformance suite on PostgreSQL (a schema of its own per test, on the server named by
/// <c>HPBANDSTER_TEST_POSTGRES</c>), plus connection failures.
/// </summary>
public sealed class PostgresRunStoreTests : RunStoreConformanceTests
{
    private const string Variable = "HPBANDSTER_TEST_POSTGRES";
    private readonly string schema = "hpb_test_" + Guid.NewGuid().ToString("N");

    private static string AdminConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                Assert.Fail($"{Variable} is not set: the PostgreSQL run store tests need a throwaway server (scripts/test.sh starts one and sets it, e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres).");
            }

            return value!;
        }
    }

    private string StoreConnectionString => new NpgsqlConnectionStringBuilder(AdminConnectionString) { SearchPath = schema, Pooling = true }.ToString();

    protected override Task CreateStorageAsync() => AdminAsync($"CREATE SCHEMA {schema}");

    protected override Task DropStorageAsync() => AdminAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");

    protected override IRunStore NewStore() => new PostgresRunStore(StoreConnectionString);

    protected override string Table(string name) => $"{schema}.hpbandster_{name}";

    protected override Task ExecuteRawAsync(string sql) => AdminAsync(sql);

    protected override async Task<long> ScalarRawAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override async Task<string> FingerprintAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @schema", connection);
        command.Parameters.AddWithValue("schema", schema);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    [Fact]
    public void Description_names_host_and_database_but_not_the_password()
    {
        var store = new PostgresRunStore("Host=db.example;Port=6543;Database=hpb;Username=alice;Password=s3cr3t-pw");
        Assert.Contains("db.example", store.Description);
        Assert.Contains("6543", store.Description);
        Assert.Contains("hpb", store.Description);
        Assert.Contains("alice", store.Description);
        Assert.DoesNotContain("s3cr3t-pw", store.Description);
    }

    [Fact]
    public async Task An_unreachable_port_fails_clearly_without_the_password()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        await using var store = new PostgresRunStore($"Host=127.0.0.1;Port={port};Database=hpb;Username=alice;Password=s3cr3t-pw;Timeout=5");
        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.InitializeAsync());
        Assert.Contains("127.0.0.1", error.Message);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains("hpb", error.Message);
        Assert.Contains("alice", error.Message);
        Assert.Contains("cannot connect", error.Message);
        Assert.DoesNotContain("s3cr3t-pw", error.ToString());
    }

    [Fact]
    public async Task A_wrong_password_fails_clearly_without_the_password()
    {
        // A stand-in server that asks for a password and refuses it as PostgreSQL does (the test server may trust
        // every login, so it cannot refuse one itself).
        using var server = new RefusingServer();
        await using var store = new PostgresRunStore($"Host=127.0.0.1;Port={server.Port};Database=hpb;Username=alice;Password=s3cr3t-pw;SSL Mode=Disable;Timeout=5");
        var error = await Assert.ThrowsAsync<RunStoreException>(() => store.InitializeAsync());
        Assert.Contains("password authentication failed", error.Message);
        Assert.Contains("28P01", error.Message);
        Assert.Contains("alice", error.Message);
        Assert.Contains(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.DoesNotContain("s3cr3t-pw", error.ToString());
        Assert.True(server.PasswordReceived, "the stand-in server never got a password message");
    }

    [Fact]
    public async Task Tables_are_prefixed_so_they_share_a_database_with_Orleans()
    {
        var tables = await FingerprintAsync();
        foreach (var name in tables.Split(',').Select(t => t.Split(':')[0]))
        {
            Assert.StartsWith("hpbandster_", name);
        }

        Assert.Contains("hpbandster_journal", tables);
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Speaks just enough of the PostgreSQL protocol to ask for a cleartext password and refuse it.</summary>
    private sealed class RefusingServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;

        public RefusingServer()
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            loop = Task.Run(AcceptAsync);
        }

        public int Port { get; }

        public bool PasswordReceived { get; private set; }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            try
            {
                loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                using (client)
                {
                    try
                    {
                        await ServeAsync(client.GetStream());
                    }
                    catch (Exception ex) when (ex is IOException or EndOfStreamException or SocketException or OperationCanceledException)
                    {
                    }
                }
            }
        }

        private async Task ServeAsync(NetworkStream stream)
        {
            while (true)
            {
                var length = await ReadInt32Async(stream);
                var body = await ReadExactlyAsync(stream, length - 4);
                var code = (body[0] << 24) | (body[1] << 16) | (body[2] << 8) | body[3];
                if (code is 80877103 or 80877104)
                {
                    await stream.WriteAsync("N"u8.ToArray(), stop.Token); // no SSL, no GSS encryption
                    continue;
                }

                break; // the startup message
            }

            await stream.WriteAsync(new byte[] { (byte)'R', 0, 0, 0, 8, 0, 0, 0, 3 }, stop.Token); // cleartext password, please
            var type = await ReadExactlyAsync(stream, 1);
            var passwordLength = await ReadInt32Async(stream);
            await ReadExactlyAsync(stream, passwordLength - 4);
            PasswordReceived = type[0] == (byte)'p';

            var fields = new MemoryStream();
            foreach (var (key, value) in new[] { ('S', "FATAL"), ('V', "FATAL"), ('C', "28P01"), ('M', "password authentication failed for user \"alice\"") })
            {
                fields.WriteByte((byte)key);
                fields.Write(Encoding.UTF8.GetBytes(value));
                fields.WriteByte(0);
            }

            fields.WriteByte(0);
            var message = new byte[5 + fields.Length];
            message[0] = (byte)'E';
            var len = (int)fields.Length + 4;
            message[1] = (byte)(len >> 24);
            message[2] = (byte)(len >> 16);
            message[3] = (byte)(len >> 8);
            message[4] = (byte)len;
            fields.ToArray().CopyTo(message, 5);
            await stream.WriteAsync(message, stop.Token);
            await stream.FlushAsync(stop.Token);
        }

        private async Task<int> ReadInt32Async(NetworkStream stream)
        {
            var b = await ReadExactlyAsync(stream, 4);
            return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
        }

        private async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
        {
            var buffer = new byte[count];
            await stream.ReadExactlyAsync(buffer, stop.Token);
            return buffer;
        }
    }
}
