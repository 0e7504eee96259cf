using System.Globalization;
using System.Text.Json.Nodes;
using HpBandSter.Logs;
using HpBandSter.Results;

namespace HpBandSter.Client.Tests.Analysis;

/// <summary><c>hpbandster export</c> of log folders: HpBandSter's exact bytes, round trips, CSV, overwrite rules.</summary>
public sealed class ExportCommandTests
{
    [Fact]
    public void Exporting_HpBandSters_own_logs_reproduces_them_byte_for_byte()
    {
        // bohb_run was written by Python's json.dumps as json_result_logger calls it, so equal bytes mean the same
        // key order, separators, ensure_ascii escapes and repr(float) texts (1e-05, 0.1, 100.0, 1e+16, Infinity).
        using var target = new TempDirectory();
        var (exit, output, error) = CliRunner.Run("export", AnalysisData.BohbRun, "--out", target.Path);
        Assert.True(exit == 0, error);
        Assert.Contains("Wrote 13 configurations and 21 results", output, StringComparison.Ordinal);
        Assert.Contains("no configspace.json", output, StringComparison.Ordinal);
        foreach (var file in new[] { "configs.json", "results.json" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(AnalysisData.BohbRun, file)), File.ReadAllBytes(target.File(file)));
        }

        Assert.False(File.Exists(target.File("configspace.json")));

        var configs = File.ReadAllLines(target.File("configs.json"));
        Assert.Equal("[[0, 0, 0], {\"lr\": 1e-05, \"num_layers\": 2, \"optimizer\": \"Adam\"}, {\"model_based_pick\": false}]", configs[0]);
        Assert.Equal("[[1, 0, 2], {\"lr\": 100.0, \"num_layers\": 1, \"optimizer\": \"Adam\", \"clip_norm\": 1e+16}, {\"model_based_pick\": false}]", configs[11]);
        var results = File.ReadAllLines(target.File("results.json"));
        Assert.Equal("[[0, 0, 1], 1.0, {\"submitted\": 1534077948.2937837, \"started\": 1534077948.2941837, \"finished\": 1534077949.5441837}, {\"loss\": 0.3, \"info\": {\"test accuracy\": 0.7, \"number of parameters\": 15830}}, null]", results[1]);
        Assert.StartsWith("[[0, 0, 4], 1.0, {\"submitted\": ", results[4], StringComparison.Ordinal);
        Assert.EndsWith("}, null, \"Traceback (most recent call last):\\n  File \\\"/home/user/worker.py\\\", line 42, in compute\\n    raise ValueError(\\\"diverged: loss is \\\\\\\"nan\\\\\\\" at r\\u00e9sum\\u00e9\\\")\\nValueError: diverged\\n\"]", results[4], StringComparison.Ordinal);
        Assert.Contains("{\"loss\": Infinity, \"info\": {\"test accuracy\": 0.0, ", results[8], StringComparison.Ordinal);
        Assert.EndsWith(", null, \"Worker died unexpectedly.\"]", results.Single(l => l.StartsWith("[[1, 0, 2], 9.0,", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Exported_legacy_logs_read_back_to_the_same_result()
    {
        using var target = new TempDirectory();
        var (exit, _, error) = CliRunner.Run("export", AnalysisData.LegacyRun, "--out", target.Path);
        Assert.True(exit == 0, error);
        AssertSameResult(HpBandSterLogReader.Read(AnalysisData.LegacyRun).Result, HpBandSterLogReader.Read(target.Path).Result);

        // The export is canonical: 3-element config lines, time_stamps keys in HpBandSter's order.
        Assert.Equal("[[0, 0, 0], {\"x\": 0.5}, {}]", File.ReadLines(target.File("configs.json")).First());
        Assert.Equal(
            "[[0, 0, 0], 1.0, {\"submitted\": 1544191887.3152575, \"started\": 1544191887.3157759, \"finished\": 1544192253.4073746}, {\"loss\": 0.7, \"info\": null}, null]",
            File.ReadLines(target.File("results.json")).First());

        // And exporting the export changes nothing.
        using var again = new TempDirectory();
        Assert.Equal(0, CliRunner.Run("export", target.Path, "--out", again.Path).ExitCode);
        Assert.Equal(File.ReadAllBytes(target.File("results.json")), File.ReadAllBytes(again.File("results.json")));
        Assert.Equal(File.ReadAllBytes(target.File("configs.json")), File.ReadAllBytes(again.File("configs.json")));
    }

    [Fact]
    public void Existing_logs_are_kept_unless_forced_and_the_search_space_is_carried_along()
    {
        using var source = new TempDirectory();
        AnalysisData.CopyTo(AnalysisData.BohbRun, source.Path);
        const string space = "{\"hyperparameters\": [], \"conditions\": [], \"forbiddens\": [], \"json_format_version\": 0.4, \"python_module_version\": \"0.4.21\"}";
        File.WriteAllText(source.File("configspace.json"), space);

        using var target = new TempDirectory();
        Directory.CreateDirectory(target.Path);
        File.WriteAllText(target.File("results.json"), "keep me\n");
        var (exit, output, error) = CliRunner.Run("export", source.Path, "--out", target.Path);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("already holds results.json", error, StringComparison.Ordinal);
        Assert.Contains("--force", error, StringComparison.Ordinal);
        Assert.Equal("keep me\n", File.ReadAllText(target.File("results.json")));
        Assert.False(File.Exists(target.File("configs.json")), "nothing is written when refusing");

        (exit, _, error) = CliRunner.Run("export", source.Path, "--out", target.Path, "--force");
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllBytes(source.File("results.json")), File.ReadAllBytes(target.File("results.json")));
        Assert.Equal(space, File.ReadAllText(target.File("configspace.json")));

        // Forcing an export without a search space removes the stale configspace.json rather than pairing it with other logs.
        (exit, _, error) = CliRunner.Run("export", AnalysisData.LegacyRun, "--out", target.Path, "--force");
        Assert.True(exit == 0, error);
        Assert.False(File.Exists(target.File("configspace.json")));
        Assert.Equal(3, File.ReadAllLines(target.File("configs.json")).Length);
    }

    [Fact]
    public void Csv_has_one_row_per_evaluation_with_every_hyperparameter_as_a_column()
    {
        using var target = new TempDirectory();
        var (exit, output, error) = CliRunner.Run("export", AnalysisData.BohbRun, "--out", target.Path, "--format", "csv");
        Assert.True(exit == 0, error);
        Assert.Contains("21 evaluations", output, StringComparison.Ordinal);
        Assert.False(File.Exists(target.File("results.json")));
        var rows = Csv.Parse(File.ReadAllText(target.File("results.csv")));
        var header = rows[0];
        Assert.Equal(
            ["iteration", "stage", "index", "budget", "loss", "crashed", "error", "submitted", "started", "finished", "model_based_pick", "info", "lr", "num_layers", "optimizer", "sgd_momentum", "clip_norm"],
            header);
        Assert.Equal(22, rows.Count);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        string Cell(string[] row, string column) => row[Array.IndexOf(header, column)];

        var result = HpBandSterLogReader.Read(AnalysisData.BohbRun).Result;
        var lines = File.ReadAllLines(Path.Combine(AnalysisData.BohbRun, "results.json"));
        for (var i = 1; i < rows.Count; i++)
        {
            // Rows follow results.json (finish order); every number reads back to the logged double.
            var row = rows[i];
            var id = new ConfigId(int.Parse(Cell(row, "iteration"), CultureInfo.InvariantCulture), int.Parse(Cell(row, "stage"), CultureInfo.InvariantCulture), int.Parse(Cell(row, "index"), CultureInfo.InvariantCulture));
            var line = JsonNode.Parse(lines[i - 1].Replace("Infinity", "1e999", StringComparison.Ordinal))!.AsArray();
            Assert.Equal(line[0]!.ToJsonString(), $"[{id.Iteration},{id.Stage},{id.Index}]");
            var budget = double.Parse(Cell(row, "budget"), CultureInfo.InvariantCulture);
            var run = result.GetRunsById(id).Single(r => r.Budget == budget);
            Assert.Equal(run.Loss, Number(Cell(row, "loss")));
            Assert.Equal(run.IsCrashed ? "true" : "false", Cell(row, "crashed"));
            Assert.Equal(run.ErrorLogs ?? string.Empty, Cell(row, "error"));
            Assert.Equal((double)line[2]!["submitted"]!, double.Parse(Cell(row, "submitted"), CultureInfo.InvariantCulture));
            Assert.Equal((double)line[2]!["started"]!, double.Parse(Cell(row, "started"), CultureInfo.InvariantCulture));
            Assert.Equal((double)line[2]!["finished"]!, double.Parse(Cell(row, "finished"), CultureInfo.InvariantCulture));
            var config = result[id];
            Assert.Equal(config.ModelBasedPick == true ? "true" : "false", Cell(row, "model_based_pick"));
            Assert.Equal(config.Config.GetDouble("lr"), double.Parse(Cell(row, "lr"), CultureInfo.InvariantCulture));
            Assert.Equal(config.Config.GetInt64("num_layers").ToString(CultureInfo.InvariantCulture), Cell(row, "num_layers"));
            Assert.Equal(config.Config.GetString("optimizer"), Cell(row, "optimizer"));
            Assert.Equal(config.Config.ContainsKey("sgd_momentum") ? (double?)config.Config.GetDouble("sgd_momentum") : null, Number(Cell(row, "sgd_momentum")));
        }

        // Spot checks by hand: the crash's traceback survives quoting (quotes, newlines, non-ASCII), inactive and
        // one-off hyperparameters are empty, Python float texts.
        var crash = rows.Single(r => Cell(r, "index") == "4" && Cell(r, "iteration") == "0");
        Assert.Equal(string.Empty, Cell(crash, "loss"));
        Assert.Equal("true", Cell(crash, "crashed"));
        Assert.StartsWith("Traceback (most recent call last):\n  File \"/home/user/worker.py\"", Cell(crash, "error"), StringComparison.Ordinal);
        Assert.Contains("résumé", Cell(crash, "error"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, Cell(crash, "info"));
        var first = rows[1];
        Assert.Equal("1e-05", Cell(first, "lr"));
        Assert.Equal("1.0", Cell(first, "budget"));
        Assert.Equal(string.Empty, Cell(first, "sgd_momentum"));
        Assert.Equal(string.Empty, Cell(first, "clip_norm"));
        Assert.Equal("{\"test accuracy\":0.5,\"number of parameters\":15829}", Cell(first, "info"));
        var big = rows.Single(r => Cell(r, "iteration") == "1" && Cell(r, "index") == "2" && Cell(r, "budget") == "3.0");
        Assert.Equal("1e+16", Cell(big, "clip_norm"));
        Assert.Equal("100.0", Cell(big, "lr"));
        Assert.Equal("Infinity", Cell(rows.Single(r => Cell(r, "iteration") == "0" && Cell(r, "index") == "8"), "loss"));
        Assert.Equal("Worker died unexpectedly.", Cell(rows.Single(r => Cell(r, "iteration") == "1" && Cell(r, "index") == "2" && Cell(r, "budget") == "9.0"), "error"));
        Assert.Equal("{\"test accuracy\":0.95,\"epochs\":9,\"note\":\"large \\\"model\\\", path C:\\\\runs\"}", Cell(rows[^1], "info"));

        // Refuses to overwrite results.csv without --force.
        (exit, _, error) = CliRunner.Run("export", AnalysisData.BohbRun, "--out", target.Path, "--format", "csv");
        Assert.Equal(2, exit);
        Assert.Contains("already holds results.csv", error, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Run("export", AnalysisData.BohbRun, "--out", target.Path, "--format", "csv", "--force").ExitCode);
    }

    [Fact]
    public void Edge_cases_clashing_names_an_infinite_incumbent_and_an_out_that_is_a_file()
    {
        // Hyperparameters named like fixed columns, and a single run whose loss is +inf (HpBandSter: the incumbent,
        // as the only run on the max budget with a loss; no trajectory point, since inf is not below inf).
        using var logs = new TempDirectory();
        Directory.CreateDirectory(logs.Path);
        File.WriteAllText(logs.File("configs.json"), "[[0, 0, 0], {\"budget\": 2, \"loss\": \"l1\", \"x\": 0.5}, {}]\n");
        File.WriteAllText(logs.File("results.json"), "[[0, 0, 0], 1.0, {\"submitted\": 5.0, \"started\": 6.0, \"finished\": 7.5}, {\"loss\": Infinity, \"info\": {}}, null]\n");

        using var target = new TempDirectory();
        var (exit, _, error) = CliRunner.Run("export", logs.Path, "--out", target.Path, "--format", "csv");
        Assert.True(exit == 0, error);
        var rows = Csv.Parse(File.ReadAllText(target.File("results.csv")));
        Assert.Equal(["config.budget", "config.loss", "x"], rows[0][^3..]);
        Assert.Equal(["0", "0", "0", "1.0", "Infinity", "true", string.Empty, "5.0", "6.0", "7.5", string.Empty, "{}", "2", "l1", "0.5"], rows[1]);

        var (analyzeExit, output, analyzeError) = CliRunner.Run("analyze", logs.Path, "--json");
        Assert.True(analyzeExit == 0, analyzeError);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("Infinity", (string?)json["incumbent"]!["loss"]);
        Assert.Empty(json["trajectory"]!["config_ids"]!.AsArray());
        Assert.Empty(json["correlations_with_max_budget"]!.AsArray());
        Assert.Null(json["eta"]);
        var (textExit, text, _) = CliRunner.Run("analyze", logs.Path);
        Assert.Equal(0, textExit);
        Assert.Contains("loss Infinity on budget 1.0", text, StringComparison.Ordinal);
        Assert.Contains("(empty: no run with a loss qualifies)", text, StringComparison.Ordinal);
        Assert.Contains("none (a single budget, 1.0)", text, StringComparison.Ordinal);

        var file = target.File("results.csv");
        (exit, _, error) = CliRunner.Run("export", logs.Path, "--out", file);
        Assert.Equal(2, exit);
        Assert.Contains("is a file; give a folder", error, StringComparison.Ordinal);
    }

    private static double? Number(string cell) => cell.Length == 0 ? null : double.Parse(cell, CultureInfo.InvariantCulture); // "Infinity" too

    internal static void AssertSameResult(OptimizationResult expected, OptimizationResult actual)
    {
        Assert.Equal(expected.Configs.Select(c => c.Id), actual.Configs.Select(c => c.Id));
        for (var i = 0; i < expected.ConfigCount; i++)
        {
            Assert.Equal(expected.Configs[i].Config, actual.Configs[i].Config);
            Assert.Equal(expected.Configs[i].Info.ToJsonString(), actual.Configs[i].Info.ToJsonString());
        }

        Assert.Equal(expected.RunCount, actual.RunCount);
        foreach (var (e, a) in expected.GetAllRuns().Zip(actual.GetAllRuns()))
        {
            Assert.Equal(e.ConfigId, a.ConfigId);
            Assert.Equal(e.Budget, a.Budget);
            Assert.Equal(e.Loss, a.Loss);
            Assert.Equal(e.TimeStamps, a.TimeStamps);
            Assert.Equal(e.ErrorLogs, a.ErrorLogs);
            Assert.Equal(e.Info?.ToJsonString(), a.Info?.ToJsonString());
        }

        Assert.Equal(expected.Settings.TimeRef, actual.Settings.TimeRef);
        Assert.Equal(expected.Settings.Budgets, actual.Settings.Budgets);
        Assert.Equal(expected.GetIncumbentTrajectory(), actual.GetIncumbentTrajectory(), TrajectoryComparer.Instance);
    }

    private sealed class TrajectoryComparer : IEqualityComparer<IncumbentTrajectory>
    {
        public static TrajectoryComparer Instance { get; } = new();

        public bool Equals(IncumbentTrajectory? x, IncumbentTrajectory? y) =>
            x!.ConfigIds.SequenceEqual(y!.ConfigIds) && x.TimesFinished.SequenceEqual(y.TimesFinished)
            && x.Budgets.SequenceEqual(y.Budgets) && x.Losses.SequenceEqual(y.Losses);

        public int GetHashCode(IncumbentTrajectory obj) => obj.Count;
    }
}
