namespace HpBandSter.Client.Tests;

/// <summary>Argument errors and help of watch, cancel and the <c>--postgres</c> option: each names its option and exits 2 without connecting anywhere.</summary>
public sealed class LiveArgumentErrorTests
{
    [Theory]
    [InlineData("--timeout", "0", "--timeout must be a positive number of seconds (got 0)")]
    [InlineData("--stall-warning", "-1", "--stall-warning must be a positive number of seconds (got -1)")]
    [InlineData("--workers", "2", "--workers")]
    public void WatchRejectsBadValues(string option, string value, string message)
    {
        var (exit, output, error) = CliRunner.Run("watch", "r", option, value);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains(message, error);
    }

    [Fact]
    public void StallWarningAppliesToAnEmbeddedDataDirectoryOnly()
    {
        var (exit, _, error) = CliRunner.Run("watch", "r", "--cluster", "--stall-warning", "5");
        Assert.Equal(2, exit);
        Assert.Contains("--stall-warning applies to an embedded data directory only", error);
        Assert.Contains("Run 'hpbandster watch --help' for usage.", error);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("resume", "r")]
    [InlineData("watch", "r")]
    [InlineData("cancel", "r")]
    public void PostgresDoesNotMixWithEmbeddedOrGatewayOptionsAndNeverPrintsThePassword(params string[] command)
    {
        var (gatewayExit, _, gatewayError) = CliRunner.Run([.. command, "--postgres", "Host=127.0.0.1;Username=u;Password=sekret", "--gateway-port", "30001"]);
        Assert.Equal(2, gatewayExit);
        Assert.Contains("--gateway-port applies to a localhost cluster (--cluster); with --postgres the gateways are found in PostgreSQL.", gatewayError);

        var (dataExit, _, dataError) = CliRunner.Run([.. command, "--postgres", "Host=127.0.0.1;Username=u;Password=sekret", "--data-dir", "x"]);
        Assert.Equal(2, dataExit);
        Assert.Contains("--data-dir applies to the embedded silo only; with --postgres", dataError);

        var (badExit, badOutput, badError) = CliRunner.Run([.. command, "--postgres", "Host=127.0.0.1;Password=sekret;Bogus=1"]);
        Assert.Equal(2, badExit);
        Assert.Equal(string.Empty, badOutput);
        Assert.Contains("error: --postgres: ", badError);
        Assert.DoesNotContain("sekret", badError);

        var (emptyExit, _, emptyError) = CliRunner.Run([.. command, "--postgres", ""]);
        Assert.Equal(2, emptyExit);
        Assert.Contains("--postgres: give a connection string", emptyError);
    }

    [Fact]
    public void ARunOrWatchWithTheOutDirectoryOfAnotherRunIsRefused()
    {
        using var data = new TempDirectory();
        Directory.CreateDirectory(data.Path);
        File.WriteAllText(data.File("results.json"), string.Empty);
        var (exit, _, error) = CliRunner.Run("run", "--out", data.Path, "--data-dir", data.File("d"));
        Assert.Equal(2, exit);
        Assert.Contains("already holds results.json", error);
    }

    [Theory]
    [InlineData("watch", "--out", "--json", "--timeout", "--stall-warning", "--data-dir", "--cluster", "--gateway-port", "--postgres", "--cluster-id", "--service-id", "--connect-timeout")]
    [InlineData("cancel", "--json", "--data-dir", "--cluster", "--gateway-port", "--postgres", "--cluster-id", "--service-id", "--connect-timeout")]
    [InlineData("resume", "--out", "--json", "--iterations", "--postgres")]
    [InlineData("run", "--out", "--json", "--postgres")]
    public void HelpDescribesEveryOption(string command, params string[] options)
    {
        var (exit, output, _) = CliRunner.Run(command, "--help");
        Assert.Equal(0, exit);
        foreach (var option in options)
        {
            Assert.Contains(option, output);
        }

        Assert.Contains("HPBANDSTER_POSTGRES", output);
        var root = CliRunner.Run("--help").Output;
        Assert.Contains(command, root);
    }
}
