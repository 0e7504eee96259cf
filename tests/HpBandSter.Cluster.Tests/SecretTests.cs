using System.Globalization;
using System.Text.Json.Nodes;

namespace HpBandSter.Cluster.Tests;

/// <summary>The PostgreSQL password never appears in the silo's output: not in --help, errors, or logs at any level.</summary>
public sealed class SecretTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(45);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hpbandster-secret-tests", Guid.NewGuid().ToString("N")[..12]);

    public SecretTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task Password_from_the_configuration_file_is_not_printed_when_the_database_is_unreachable()
    {
        var password = "file-pw-" + Guid.NewGuid().ToString("N");
        var closedPort = LoopbackPorts.Free(1)[0];
        var file = WriteConfig(new JsonObject
        {
            ["Clustering"] = "postgres",
            ["Postgres"] = $"Host=127.0.0.1;Port={closedPort};Database=hpbandster;Username=nobody;Password={password};Timeout=3",
            ["LogLevel"] = "trace",
        });
        var ports = LoopbackPorts.Free(2);
        using var silo = SiloProcess.StartRaw(
            "silo secret in file", "--config", file, "--address", "127.0.0.1",
            "--silo-port", ports[0].ToString(CultureInfo.InvariantCulture), "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture),
            "--data-dir", Path.Combine(_directory, "data"));

        Assert.Equal(1, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("could not start", silo.StandardError, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{closedPort}", silo.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(password, silo.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_is_not_printed_by_help_nor_by_usage_errors()
    {
        var password = "env-pw-" + Guid.NewGuid().ToString("N");
        var environment = new Dictionary<string, string> { ["HPBANDSTER_POSTGRES"] = $"Host=127.0.0.1;Port=notaport;Password={password}" };

        using var help = SiloProcess.StartRaw("silo --help with a secret", environment, "--help");
        Assert.Equal(0, await help.WaitForExitAsync(ExitTimeout));
        Assert.Contains("--postgres", help.AllOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(password, help.AllOutput, StringComparison.Ordinal);

        using var invalid = SiloProcess.StartRaw("silo invalid connection string", environment, "--clustering", "postgres");
        Assert.Equal(2, await invalid.WaitForExitAsync(ExitTimeout));
        Assert.Contains("HPBANDSTER_POSTGRES", invalid.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(password, invalid.AllOutput, StringComparison.Ordinal);

        // A malformed file: the parser's message names the position, not the contents.
        var malformed = Path.Combine(_directory, "malformed.json");
        await File.WriteAllTextAsync(malformed, $"{{ \"HpBandSter\": {{ \"Postgres\": \"Password={password}\" \"Slots\": 2 }} }}");
        using var broken = SiloProcess.StartRaw("silo malformed file with a secret", "--config", malformed);
        Assert.Equal(2, await broken.WaitForExitAsync(ExitTimeout));
        Assert.Contains("not a valid JSON configuration file", broken.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(password, broken.AllOutput, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string WriteConfig(JsonObject hpbandster)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(path, new JsonObject { ["HpBandSter"] = hpbandster }.ToJsonString());
        return path;
    }
}
