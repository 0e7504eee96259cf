namespace HpBandSter.Cluster.Tests;

/// <summary>The silo program's usage errors: exit code 2 and a message naming the option; no cluster starts.</summary>
public sealed class UsageTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("--slots", "-1")]
    [InlineData("--objectives", "nope")]
    [InlineData("--silo-port", "70000")]
    [InlineData("--log-level", "loud")]
    [InlineData("--join-timeout", "soon")]
    [InlineData("--join-timeout", "-5")]
    public async Task Invalid_value_exits_with_code_2_naming_the_option(string option, string value)
    {
        using var silo = SiloProcess.StartRaw($"silo {option} {value}", option, value);
        var exitCode = await silo.WaitForExitAsync(ExitTimeout);
        Assert.True(exitCode == 2, $"Exit code {exitCode}, expected 2.\n{silo.Tail}");
        Assert.Contains(option, silo.StandardError, StringComparison.Ordinal);
        Assert.Contains(value, silo.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_objective_lists_the_valid_ones()
    {
        using var silo = SiloProcess.StartRaw("silo --objectives", "--objectives", "toy,nope");
        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("toy, branin, hartmann6, countingones", silo.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_every_option_with_its_default()
    {
        using var silo = SiloProcess.StartRaw("silo --help", "--help");
        Assert.Equal(0, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("--slots", silo.Tail, StringComparison.Ordinal);
        Assert.Contains("Default: 11111", silo.Tail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_environment_variable_names_the_option_and_the_variable()
    {
        using var silo = SiloProcess.StartRaw("silo HPBANDSTER_SLOTS", new Dictionary<string, string> { ["HPBANDSTER_SLOTS"] = "many" });
        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("--slots (from HPBANDSTER_SLOTS)", silo.StandardError, StringComparison.Ordinal);
        Assert.Contains("many", silo.StandardError, StringComparison.Ordinal);
    }
}
