namespace HpBandSter.Client.Tests;

public sealed class ArgumentErrorTests
{
    private static string Fails(params string[] args)
    {
        var (exitCode, output, error) = CliRunner.Run(args);
        Assert.Equal(Cli.UsageError, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("error: ", error);
        Assert.EndsWith("--help' for usage.\n", error);
        return error;
    }

    [Fact]
    public void MissingMaxBudget()
    {
        Assert.Contains("'--max-budget' is required", Fails("plan", "--min-budget", "9"));
    }

    [Fact]
    public void EtaOfOne()
    {
        var error = Fails("plan", "--min-budget", "9", "--max-budget", "243", "--eta", "1");
        Assert.Contains("--eta must be a number of at least 2 (got 1)", error);
    }

    [Fact]
    public void MinAboveMax()
    {
        var error = Fails("plan", "--min-budget", "243", "--max-budget", "9");
        Assert.Contains("--min-budget (243) must not exceed --max-budget (9)", error);
        Assert.Contains("swap them", error);
    }

    [Theory]
    [InlineData("0", "--min-budget must be a positive number (got 0)")]
    [InlineData("-1", "--min-budget must be a positive number (got -1)")]
    [InlineData("abc", "Cannot parse argument 'abc' for option '--min-budget'")]
    public void BadMinBudget(string value, string message)
    {
        Assert.Contains(message, Fails("plan", "--min-budget", value, "--max-budget", "9"));
    }

    [Fact]
    public void EveryBadOptionIsReportedAtOnce()
    {
        var error = Fails("plan", "--min-budget", "-1", "--max-budget", "9", "--eta", "0", "--iterations", "0");
        Assert.Contains("--min-budget", error);
        Assert.Contains("--eta", error);
        Assert.Contains("--iterations must be at least 1 (got 0)", error);
    }

    [Fact]
    public void UnknownOptimizerNamesTheOption()
    {
        var error = Fails("plan", "--min-budget", "1", "--max-budget", "9", "--optimizer", "smac");
        Assert.Contains("--optimizer: Argument 'smac' not recognized", error);
        Assert.Contains("'randomsearch'", error);
    }

    [Fact]
    public void SizingOnlyAppliesToHyperBandBrackets()
    {
        Assert.Contains("--sizing applies to bohb and hyperband only", Fails("plan", "--min-budget", "1", "--max-budget", "9", "--optimizer", "h2bo", "--sizing", "ceil"));
    }

    [Fact]
    public void BudgetRatioTooLargeForEta()
    {
        var error = Fails("plan", "--min-budget", "1e-12", "--max-budget", "1", "--eta", "2");
        Assert.Contains("--min-budget: max_budget / min_budget = 1000000000000 is too large for eta 2", error);
        Assert.DoesNotContain("(Parameter", error);
    }

    [Fact]
    public void NoCommand()
    {
        Assert.Contains("Run 'hpbandster --help' for usage.", Fails());
    }
}
