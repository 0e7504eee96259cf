namespace HpBandSter.Client.Tests.Analysis;

/// <summary>Argument errors of <c>export</c> and <c>analyze</c> give exit 2 and a message naming the problem; --help works.</summary>
public sealed class AnalysisArgumentTests
{
    [Theory]
    [InlineData("unknown flag 'all'", "all=true")]
    [InlineData("unknown flag 'NON_DECREASING_BUDGET'", "NON_DECREASING_BUDGET=false")] // keys are HpBandSter's parameter names, exactly
    [InlineData("the value 'yes' for bigger_is_better must be true or false", "bigger_is_better=yes")]
    [InlineData("the value '1' for non_decreasing_budget must be true or false", "true,true,1")]
    [InlineData("all_budgets is given twice", "all_budgets=true,all_budgets=false")]
    [InlineData("neither key=value pairs", "true,false")]
    [InlineData("is not key=value", "all_budgets=true,false")]
    public void Bad_trajectory_flags_are_usage_errors(string message, string flags)
    {
        var (exit, output, error) = CliRunner.Run("analyze", AnalysisData.BohbRun, "--trajectory-flags", flags);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("--trajectory-flags", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("hpbandster analyze --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_arguments_and_unknown_formats_are_usage_errors()
    {
        var (exit, _, error) = CliRunner.Run("analyze");
        Assert.Equal(2, exit);
        Assert.Contains("Required argument missing", error, StringComparison.Ordinal);
        Assert.Contains("hpbandster analyze --help", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run("export", AnalysisData.BohbRun);
        Assert.Equal(2, exit);
        Assert.Contains("--out", error, StringComparison.Ordinal);

        using var target = new TempDirectory();
        (exit, _, error) = CliRunner.Run("export", AnalysisData.BohbRun, "--out", target.Path, "--format", "xml");
        Assert.Equal(2, exit);
        Assert.Contains("xml", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target.Path));
    }

    [Fact]
    public void A_source_that_is_neither_a_folder_nor_a_run_is_an_error()
    {
        using var data = new TempDirectory();
        var (exit, _, error) = CliRunner.Run("analyze", "no-such-run", "--data-dir", data.Path);
        Assert.Equal(1, exit);
        Assert.Contains("'no-such-run' is neither a folder nor a run", error, StringComparison.Ordinal);

        (exit, _, error) = CliRunner.Run("analyze", Path.Combine(data.Path, "missing"));
        Assert.Equal(1, exit);
        Assert.Contains("there is no folder", error, StringComparison.Ordinal);

        // A folder without logs.
        Directory.CreateDirectory(data.Path);
        (exit, _, error) = CliRunner.Run("analyze", data.Path);
        Assert.Equal(1, exit);
        Assert.Contains("configs.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_describes_both_commands()
    {
        var (exit, output, _) = CliRunner.Run("analyze", "--help");
        Assert.Equal(0, exit);
        foreach (var text in new[] { "--json", "--trajectory-flags", "all_budgets", "bigger_is_better", "non_decreasing_budget", "--data-dir", "--postgres", "source" })
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }

        (exit, output, _) = CliRunner.Run("export", "--help");
        Assert.Equal(0, exit);
        foreach (var text in new[] { "--out", "--format", "hpbandster", "csv", "--force", "--data-dir", "--postgres", "[default: hpbandster]" })
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }

        (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("export", output, StringComparison.Ordinal);
        Assert.Contains("analyze", output, StringComparison.Ordinal);
    }
}
