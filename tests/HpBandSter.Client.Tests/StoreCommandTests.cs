using System.Text.Json.Nodes;

namespace HpBandSter.Client.Tests;

/// <summary>`hpbandster list` and `status` read the embedded store with no silo running.</summary>
public sealed class StoreCommandTests
{
    [Fact]
    public void List_and_status_show_a_finished_run_from_the_data_directory()
    {
        using var data = new TempDirectory();
        var (exit, _, error) = CliRunner.Run("run", "--objective", "toy", "--optimizer", "hyperband", "--iterations", "1", "--seed", "4", "--run-id", "listed", "--data-dir", data.Path, "--json");
        Assert.True(exit == 0, error);

        var (listExit, listOutput, listError) = CliRunner.Run("list", "--data-dir", data.Path, "--json");
        Assert.True(listExit == 0, listError);
        var run = Assert.Single(JsonNode.Parse(listOutput)!.AsArray())!.AsObject();
        Assert.Equal("listed", (string?)run["run_id"]);
        Assert.Equal("completed", (string?)run["state"]);
        Assert.Equal((int)run["planned"]!, (int)run["finished"]!);
        Assert.Equal(40, (int)run["finished"]!);
        Assert.StartsWith(ClusterSession.EmbeddedClusterPrefix, (string?)run["owner"], StringComparison.Ordinal);

        var (textExit, text, _) = CliRunner.Run("list", "--data-dir", data.Path);
        Assert.Equal(0, textExit);
        Assert.Contains("listed", text, StringComparison.Ordinal);
        Assert.Contains("40/40", text, StringComparison.Ordinal);

        var (statusExit, status, _) = CliRunner.Run("status", "listed", "--data-dir", data.Path);
        Assert.Equal(0, statusExit);
        Assert.Contains("run listed: completed, hyperband on toy", status, StringComparison.Ordinal);
        Assert.Contains("evaluations 40 of 40", status, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_run_is_an_error_and_an_empty_data_directory_has_no_runs()
    {
        using var data = new TempDirectory();
        var (listExit, listOutput, _) = CliRunner.Run("list", "--data-dir", data.Path);
        Assert.Equal(0, listExit);
        Assert.Contains("No runs.", listOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(data.File("runs.db")), "list must not create a store");

        var (statusExit, _, statusError) = CliRunner.Run("status", "nope", "--data-dir", data.Path);
        Assert.Equal(2, statusExit);
        Assert.Contains("there is no run 'nope'", statusError, StringComparison.Ordinal);
    }
}
