namespace HpBandSter.Client.Tests;

public sealed class HelpTests
{
    [Fact]
    public void RunHelpDescribesEveryOptionWithItsDefault()
    {
        var (exit, output, _) = CliRunner.Run("run", "--help");
        Assert.Equal(0, exit);
        foreach (var option in new[]
        {
            "--objective", "--optimizer", "--min-budget", "--max-budget", "--eta", "--iterations", "--seed", "--workers", "--space", "--run-id",
            "--data-dir", "--sleep", "--job-timeout", "--retry-limit", "--out", "--json", "--cluster", "--gateway-port", "--cluster-id", "--service-id", "--connect-timeout",
        })
        {
            Assert.Contains(option, output);
        }

        Assert.Contains($"[default: {Environment.ProcessorCount}]", output);
        Assert.Contains("[default: hpbandster-data]", output);
        Assert.Contains("[default: 30000]", output);
        Assert.Contains("[default: hpbandster]", output);
        Assert.Contains("[default: toy]", output);
        Assert.Contains("[default: the objective's, 9 for toy", output);
    }

    [Fact]
    public void RootHelpListsTheCommands()
    {
        var (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("plan", output);
        Assert.Contains("run", output);
    }
}
