namespace HpBandSter.Client.Tests;

/// <summary><c>run</c>'s usage errors: found before any silo starts, each naming its option, exit code 2.</summary>
public sealed class RunArgumentErrorTests
{
    private static string Fails(params string[] args)
    {
        var (exitCode, output, error) = CliRunner.Run(["run", .. args]);
        Assert.Equal(Cli.UsageError, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("error: ", error);
        Assert.EndsWith("Run 'hpbandster run --help' for usage.\n", error);
        return error;
    }

    [Theory]
    [InlineData("--workers", "0", "--workers must be between 1 and 4096 (got 0)")]
    [InlineData("--workers", "-3", "--workers must be between 1 and 4096 (got -3)")]
    [InlineData("--eta", "1", "--eta must be a number of at least 2 (got 1)")]
    [InlineData("--iterations", "0", "--iterations must be at least 1 (got 0)")]
    [InlineData("--sleep", "-1", "--sleep must be a number of seconds, 0 or more (got -1)")]
    [InlineData("--job-timeout", "0", "--job-timeout must be a positive number of seconds (got 0)")]
    [InlineData("--retry-limit", "-1", "--retry-limit must be 0 or more (got -1)")]
    [InlineData("--min-budget", "0", "--min-budget must be a positive number (got 0)")]
    [InlineData("--run-id", "a b", "--run-id must be a non-empty id without spaces (got 'a b')")]
    [InlineData("--objective", "rosenbrock", "--objective: 'rosenbrock' is not a built-in objective")]
    [InlineData("--optimizer", "smac", "--optimizer: Argument 'smac' not recognized")]
    [InlineData("--gateway-port", "30000", "--gateway-port applies with --cluster only")]
    [InlineData("--cluster-id", "x", "--cluster-id applies with --cluster only")]
    public void BadValueNamesTheOption(string option, string value, string message)
    {
        Assert.Contains(message, Fails(option, value));
    }

    [Fact]
    public void MinBudgetAboveMaxBudgetNamesTheOption()
    {
        Assert.Contains("--min-budget: min_budget (243) must", Fails("--min-budget", "243", "--max-budget", "9"));
    }

    [Fact]
    public void MissingSpaceFileNamesSpace()
    {
        using var dir = new TempDirectory();
        var error = Fails("--space", dir.File("missing.json"));
        Assert.Contains("--space: cannot read", error);
        Assert.Contains("missing.json", error);
    }

    [Fact]
    public void InvalidSpaceJsonNamesSpace()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Path);
        File.WriteAllText(dir.File("space.json"), "{\"hyperparameters\": [{\"name\": \"x\"");
        var error = Fails("--space", dir.File("space.json"));
        Assert.Contains("--space: ", error);
        Assert.Contains("not a valid ConfigSpace JSON search space", error);
    }

    [Fact]
    public void EmbeddedSiloOptionsDoNotApplyToACluster()
    {
        Assert.Contains("--workers applies to the embedded silo only", Fails("--cluster", "--workers", "2"));
        Assert.Contains("--data-dir applies to the embedded silo only", Fails("--cluster", "--data-dir", "d"));
    }

    [Fact]
    public void BadGatewayPortNamesTheOption()
    {
        Assert.Contains("--gateway-port: '70000' is not a port number", Fails("--cluster", "--gateway-port", "30000,70000"));
    }

    [Fact]
    public void ClusterObjectiveThatIsNotBuiltInNeedsBudgets()
    {
        Assert.Contains("--min-budget is required for 'mnist'", Fails("--cluster", "--objective", "mnist"));
    }
}
