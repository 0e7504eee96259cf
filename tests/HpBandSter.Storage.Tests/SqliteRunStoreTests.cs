using System.Security.Cryptography;
using HpBandSter.Orleans.Storage;
using Microsoft.Data.Sqlite;

namespace HpBandSter.Storage.Tests;

/// <summary>The conformance suite on a SQLite file of its own per test, plus SQLite-only checks.</summary>
public sealed class SqliteRunStoreTests : RunStoreConformanceTests
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "hpbandster-store-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(directory, "data", "runs.db");

    protected override Task CreateStorageAsync()
    {
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        return Task.CompletedTask;
    }

    protected override Task DropStorageAsync()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    protected override IRunStore NewStore() => new SqliteRunStore(DatabasePath);

    protected override string Table(string name) => name;

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = OpenRaw();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task<long> ScalarRawAsync(string sql)
    {
        await using var connection = OpenRaw();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override Task<string> FingerprintAsync()
    {
        var files = Directory.GetFiles(Path.Combine(directory, "data")).Order(StringComparer.Ordinal);
        return Task.FromResult(string.Join(
            ";",
            files.Select(f => Path.GetFileName(f) + "=" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))))));
    }

    private SqliteConnection OpenRaw() => new(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());

    [Fact]
    public async Task The_file_is_in_WAL_mode()
    {
        Assert.Equal("wal", await ScalarTextAsync("PRAGMA journal_mode"));
        Assert.Contains(DatabasePath, Store.Description);
    }

    [Fact]
    public async Task A_sequence_that_is_not_a_number_is_reported_with_run_and_sequence()
    {
        await CreateAsync("r1");
        await Store.AppendAsync("r1", Entries(1, 3), Summary("r1"));
        await ExecuteRawAsync("UPDATE journal SET seq = 'two' WHERE run_id = 'r1' AND seq = 2");

        var error = await Assert.ThrowsAsync<RunStoreException>(() => Store.ReadAsync("r1"));
        Assert.Contains("'r1'", error.Message);
        Assert.Contains("sequence 2", error.Message);
    }

    [Fact]
    public async Task A_missing_directory_is_created_and_an_unusable_path_fails_clearly()
    {
        var nested = Path.Combine(directory, "a", "b", "runs.db");
        await using (var store = new SqliteRunStore(nested))
        {
            await store.InitializeAsync();
            Assert.True(await store.CreateRunAsync(Header("r1"), Summary("r1")));
        }

        // A directory where the file should be.
        var blocked = Path.Combine(directory, "blocked");
        Directory.CreateDirectory(blocked);
        await using var bad = new SqliteRunStore(blocked);
        var error = await Assert.ThrowsAsync<RunStoreException>(() => bad.InitializeAsync());
        Assert.Contains(blocked, error.Message);
    }

    private async Task<string?> ScalarTextAsync(string sql)
    {
        await using var connection = OpenRaw();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync();
    }
}
