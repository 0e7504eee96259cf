using System.Globalization;
using System.Text.Json.Nodes;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// The silo program's configuration sources: the JSON file (--config), HPBANDSTER_* variables and the command line,
/// in that order of precedence; --interface; settings that cannot work fail at start-up naming the setting.
/// </summary>
public sealed class SiloConfigurationTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hpbandster-config-tests", Guid.NewGuid().ToString("N")[..12]);

    public SiloConfigurationTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task File_environment_and_command_line_combine_with_the_documented_precedence()
    {
        var ports = LoopbackPorts.Free(2);
        var clusterId = "conf-" + Guid.NewGuid().ToString("N")[..8];
        var file = WriteConfig(new JsonObject
        {
            ["Slots"] = 3,
            ["Objectives"] = "toy,branin",
            ["LogLevel"] = "warning",
            ["GatewayPort"] = ports[1],
            ["ClusterId"] = "overridden-by-the-command-line",
        });
        using var silo = SiloProcess.StartRaw(
            "silo from file",
            new Dictionary<string, string> { ["HPBANDSTER_SLOTS"] = "2", ["HPBANDSTER_CONFIG"] = file },
            "--interface", "lo",
            "--silo-port", ports[0].ToString(CultureInfo.InvariantCulture),
            "--primary-port", ports[0].ToString(CultureInfo.InvariantCulture),
            "--cluster-id", clusterId,
            "--data-dir", Path.Combine(_directory, "data"));

        var ready = await silo.WaitReadyAsync(TimeSpan.FromSeconds(60));
        // Address from --interface lo, gateway port and objectives from the file, slots from the environment.
        Assert.Contains($"address=127.0.0.1:{ports[0]} gateway={ports[1]} slots=2 objectives=toy,branin", ready, StringComparison.Ordinal);
        silo.Terminate();
        Assert.Equal(0, await silo.WaitForExitAsync(ExitTimeout));
    }

    [Fact]
    public async Task Environment_wins_over_the_file_and_the_command_line_over_both()
    {
        var file = WriteConfig(new JsonObject { ["Slots"] = "from-file" });

        var fileOnly = await UsageErrorAsync([], "--config", file);
        Assert.Contains($"--slots (from HpBandSter:Slots in {file}): 'from-file'", fileOnly, StringComparison.Ordinal);

        var environment = await UsageErrorAsync(new Dictionary<string, string> { ["HPBANDSTER_SLOTS"] = "from-env" }, "--config", file);
        Assert.Contains("--slots (from HPBANDSTER_SLOTS): 'from-env'", environment, StringComparison.Ordinal);

        var commandLine = await UsageErrorAsync(new Dictionary<string, string> { ["HPBANDSTER_SLOTS"] = "from-env" }, "--config", file, "--slots", "from-cli");
        Assert.Contains("--slots: 'from-cli'", commandLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_and_interface_at_the_same_level_are_refused()
    {
        var error = await UsageErrorAsync([], "--address", "127.0.0.1", "--interface", "lo");
        Assert.Contains("--address and --interface: give one of them, not both", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_interface_lists_the_machine_s_interfaces()
    {
        var error = await UsageErrorAsync([], "--interface", "nosuch0");
        Assert.Contains("--interface: no network interface 'nosuch0'; this machine has: ", error, StringComparison.Ordinal);
        Assert.Contains("lo", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuration_file_problems_name_the_file_and_the_setting()
    {
        var missing = Path.Combine(_directory, "missing.json");
        Assert.Contains($"--config: the configuration file '{missing}' does not exist.", await UsageErrorAsync([], "--config", missing), StringComparison.Ordinal);

        var malformed = Path.Combine(_directory, "malformed.json");
        await File.WriteAllTextAsync(malformed, "{ \"HpBandSter\": { \"Slots\": 2,, } }");
        Assert.Contains($"--config: '{malformed}' is not a valid JSON configuration file", await UsageErrorAsync([], "--config", malformed), StringComparison.Ordinal);

        var typo = WriteConfig(new JsonObject { ["Slot"] = 2 });
        Assert.Contains($"HpBandSter:Slot (in {typo}): unknown setting", await UsageErrorAsync([], "--config", typo), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Executable", "\"no-such-program-hpbandster\"", "Executable 'no-such-program-hpbandster' is not on PATH")]
    [InlineData("Timeout", "\"30\"", "Timeout (in")]
    [InlineData("Argments", "[\"x\"]", "Argments")]
    [InlineData("SearchSpace", "\"missing-space.json\"", "SearchSpace cannot read")]
    public async Task Unusable_command_objective_names_the_setting(string setting, string value, string expected)
    {
        var objective = new JsonObject { ["Executable"] = "python3" };
        objective[setting] = JsonNode.Parse(value);
        var file = WriteConfig(new JsonObject { ["CommandObjectives"] = new JsonObject { ["broken"] = objective } });
        var error = await UsageErrorAsync([], "--config", file);
        Assert.Contains("broken", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_the_new_options_with_their_defaults()
    {
        using var silo = SiloProcess.StartRaw("silo --help", "--help");
        Assert.Equal(0, await silo.WaitForExitAsync(ExitTimeout));
        var help = silo.AllOutput;
        foreach (var expected in new[] { "--config", "Default: ./appsettings.json if it exists", "--interface", "--plugin", "Precedence: command line, then environment, then file" })
        {
            Assert.Contains(expected, help, StringComparison.Ordinal);
        }
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

    /// <summary>Runs the program, expects exit code 2, returns stderr.</summary>
    private static async Task<string> UsageErrorAsync(Dictionary<string, string> environment, params string[] args)
    {
        using var silo = SiloProcess.StartRaw("silo " + string.Join(' ', args), environment, args);
        var exitCode = await silo.WaitForExitAsync(ExitTimeout);
        Assert.True(exitCode == 2, $"Exit code {exitCode}, expected 2 (a usage error).\n{silo.Tail}");
        return silo.StandardError;
    }
}
