using System.Globalization;
using System.Text.Json.Nodes;
using HpBandSter.Logs;

namespace HpBandSter.Client.Tests.Analysis;

/// <summary>
/// <c>export RUN</c> and <c>analyze RUN</c> read a run from its store (no cluster): the export is byte for byte what
/// <c>run --out</c> wrote, and the analysis equals the analysis of those logs.
/// </summary>
public sealed class StoredRunAnalysisTests
{
    [Fact]
    public void A_stored_run_exports_to_the_run_out_files_and_analyzes_like_them()
    {
        using var data = new TempDirectory();
        using var runOut = new TempDirectory();
        var (runExit, _, runError) = CliRunner.Run(
            "run", "--objective", "toy", "--optimizer", "bohb", "--iterations", "2", "--seed", "1", "--run-id", "stored",
            "--data-dir", data.Path, "--out", runOut.Path, "--json");
        Assert.True(runExit == 0, runError);

        using var exported = new TempDirectory();
        var (exit, output, error) = CliRunner.Run("export", "stored", "--data-dir", data.Path, "--out", exported.Path);
        Assert.True(exit == 0, error);
        Assert.Equal(string.Empty, error); // a completed run: no note
        Assert.Contains("HpBandSter logs", output, StringComparison.Ordinal);
        foreach (var file in new[] { "configs.json", "results.json", "configspace.json" })
        {
            Assert.True(File.Exists(runOut.File(file)), file);
            Assert.Equal(File.ReadAllBytes(runOut.File(file)), File.ReadAllBytes(exported.File(file)));
        }

        foreach (var flags in new[] { "all_budgets=true", "all_budgets=false", "false,false,false", "bigger_is_better=false" })
        {
            var fromStore = Analyze("stored", "--data-dir", data.Path, "--trajectory-flags", flags);
            var fromLogs = Analyze(runOut.Path, "--trajectory-flags", flags);
            Assert.Equal("run", (string?)fromStore["source_kind"]);
            Assert.Equal("logs", (string?)fromLogs["source_kind"]);
            fromStore.Remove("source");
            fromStore.Remove("source_kind");
            fromLogs.Remove("source");
            fromLogs.Remove("source_kind");
            Assert.Equal(fromLogs.ToJsonString(), fromStore.ToJsonString());

            // And both are Core's reading of the logs, with times relative to the first submission.
            var result = HpBandSterLogReader.Read(runOut.Path).Result;
            var parts = flags.Contains('=', StringComparison.Ordinal) ? null : flags.Split(',').Select(bool.Parse).ToArray();
            var expected = parts is null
                ? result.GetIncumbentTrajectory(allBudgets: flags != "all_budgets=false", biggerIsBetter: flags != "bigger_is_better=false")
                : result.GetIncumbentTrajectory(parts[0], parts[1], parts[2]);
            AnalyzeCommandTests.AssertTrajectory(expected, fromStore["trajectory"]!);
            Assert.Equal(result.GetIncumbentId(), AnalysisData.Id(fromStore["incumbent"]!["config_id"]));
        }

        var firstSubmission = File.ReadLines(runOut.File("results.json"))
            .Select(l => (double)JsonNode.Parse(l)![2]!["submitted"]!)
            .Min();
        var times = AnalysisData.Numbers(Analyze("stored", "--data-dir", data.Path)["trajectory"]!["times_finished"]);
        Assert.InRange(times[0], 0.0, 60.0);
        Assert.InRange(firstSubmission, 1.5e9, 1e10); // the logs hold absolute Unix seconds, the analysis relative ones

        // Text report of the stored run names it.
        var (textExit, text, _) = CliRunner.Run("analyze", "stored", "--data-dir", data.Path);
        Assert.Equal(0, textExit);
        Assert.Contains("Run stored: completed, bohb on toy", text, StringComparison.Ordinal);

        // CSV of the stored run: one row per result line, the same absolute timestamps.
        using var csvDir = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("export", "stored", "--data-dir", data.Path, "--out", csvDir.Path, "--format", "csv").ExitCode);
        var rows = Csv.Parse(File.ReadAllText(csvDir.File("results.csv")));
        var lines = File.ReadAllLines(runOut.File("results.json"));
        Assert.Equal(lines.Length + 1, rows.Count);
        Assert.Equal("x", rows[0][^1]);
        var finished = Array.IndexOf(rows[0], "finished");
        for (var i = 0; i < lines.Length; i++)
        {
            Assert.Equal((double)JsonNode.Parse(lines[i])![2]!["finished"]!, double.Parse(rows[i + 1][finished], CultureInfo.InvariantCulture));
        }
    }

    private static JsonObject Analyze(params string[] args)
    {
        var (exit, output, error) = CliRunner.Run(["analyze", .. args, "--json"]);
        Assert.True(exit == 0, error);
        return JsonNode.Parse(output)!.AsObject();
    }
}
