namespace HpBandSter.Client.Tests;

public sealed class PlanTextTests
{
    [Fact]
    public void TablesShowConfigsAndBudgetPerStageAndTheTotal()
    {
        var (exitCode, output, error) = CliRunner.Run("plan", "--min-budget", "9", "--max-budget", "243", "--eta", "3", "--iterations", "4");

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error);
        Assert.Contains("budgets: 9, 27, 81, 243", output);
        Assert.Contains("iteration 0: 4 stages, budget 972 (4 full evaluations)", output);
        Assert.Contains("""
              stage  configs  budget
                  0       27       9
                  1        9      27
                  2        3      81
                  3        1     243
            """.Replace("\r", string.Empty), output);
        Assert.Contains("iteration 1: 3 stages, budget 729 (3 full evaluations)", output);
        Assert.Contains("""
                  0        6      81
                  1        2     243
            """.Replace("\r", string.Empty), output);
        Assert.Contains("iteration 3: 1 stage, budget 972 (4 full evaluations)", output);
        Assert.Contains("total: budget 3645 = 15 full evaluations at max_budget 243; 65 evaluations over 4 iterations", output);
    }

    [Fact]
    public void H2boPlanStatesItsAssumption()
    {
        var (exitCode, output, _) = CliRunner.Run("plan", "--min-budget", "0.01", "--max-budget", "1", "--optimizer", "h2bo");

        Assert.Equal(0, exitCode);
        Assert.Contains("Assuming no model yet", output);
        Assert.Contains("budgets: 0.0123457, 0.037037, 0.111111, 0.333333, 1", output);
    }

    [Fact]
    public void HelpDocumentsTheDefaults()
    {
        var (exitCode, output, _) = CliRunner.Run("plan", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--min-budget", output);
        Assert.Contains("(REQUIRED)", output);
        Assert.Contains("[default: 3]", output);
        Assert.Contains("[default: bohb]", output);
        Assert.Contains("[default: floor]", output);
    }
}
