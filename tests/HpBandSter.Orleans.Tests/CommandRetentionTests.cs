using HpBandSter.Optimizers;
using HpBandSter.Orleans.Objectives;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpBandSter.Orleans.Tests;

/// <summary>
/// What a command objective leaves of a completed run's job directories, by retention setting: the directories are
/// made here as a silo leaves them (with or without outcome.json), so the rules are checked without processes.
/// </summary>
public sealed class CommandRetentionTests : IDisposable
{
    private static readonly JobKey Incumbent = new(new ConfigId(1, 0, 2), 9);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "hpbandster-retention-tests", Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [InlineData(CommandJobRetention.Incumbent, true, "1_0_2_b9_a2,0_0_0_b1_a1")]
    [InlineData(CommandJobRetention.Incumbent, false, "1_0_2_b9_a2")]
    [InlineData(CommandJobRetention.None, true, "0_0_0_b1_a1")]
    [InlineData(CommandJobRetention.None, false, "")]
    [InlineData(CommandJobRetention.All, true, "0_0_0_b1_a1,0_0_1_b1_a1,1_0_2_b3_a1,1_0_2_b9_a1,1_0_2_b9_a2,1_0_2_b90_a1,2_0_0_b9_a1")]
    public void A_completed_run_keeps_what_its_retention_says(CommandJobRetention retention, bool keepCrashed, string expected)
    {
        var run = MakeRun(
            ("0_0_0_b1_a1", "crashed"),
            ("0_0_1_b1_a1", "ok"),
            ("1_0_2_b3_a1", "ok"),     // the incumbent's config on a smaller budget
            ("1_0_2_b9_a1", null),     // an attempt of the incumbent that never ended here (its silo died)
            ("1_0_2_b9_a2", "ok"),     // the incumbent
            ("1_0_2_b90_a1", "ok"),    // shares the incumbent's name as a prefix, but not its budget
            ("2_0_0_b9_a1", null));    // cancelled or in flight when the silo stopped
        var objective = Objective(retention, keepCrashed);

        objective.OnRunCompleted("run", run, Incumbent, NullLogger.Instance);

        var left = Directory.Exists(run) ? Directory.GetDirectories(run).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray() : [];
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), left);
        Assert.Equal(left.Length > 0, Directory.Exists(run));
    }

    [Fact]
    public void Without_an_incumbent_only_crashed_directories_stay()
    {
        var run = MakeRun(("0_0_0_b1_a1", "crashed"), ("0_0_1_b1_a1", "ok"));

        Objective(CommandJobRetention.Incumbent, keepCrashed: true).OnRunCompleted("run", run, incumbent: null, NullLogger.Instance);

        Assert.Equal(["0_0_0_b1_a1"], Directory.GetDirectories(run).Select(Path.GetFileName));
    }

    [Fact]
    public void A_run_without_directories_on_this_silo_is_fine()
    {
        Objective(CommandJobRetention.Incumbent, keepCrashed: true).OnRunCompleted("run", Path.Combine(_root, "missing"), Incumbent, NullLogger.Instance);

        Assert.False(Directory.Exists(Path.Combine(_root, "missing")));
    }

    private string MakeRun(params (string Name, string? Status)[] jobs)
    {
        var run = Path.Combine(_root, "jobs", "run");
        foreach (var (name, status) in jobs)
        {
            var directory = Directory.CreateDirectory(Path.Combine(run, name)).FullName;
            File.WriteAllText(Path.Combine(directory, CommandObjective.JobFileName), "{}");
            if (status is not null)
            {
                File.WriteAllText(Path.Combine(directory, CommandObjective.OutcomeFileName), $$"""{"status": "{{status}}"}""");
            }
        }

        return run;
    }

    private CommandObjective Objective(CommandJobRetention retention, bool keepCrashed) =>
        CommandObjective.Create("cmd", new CommandObjectiveOptions
        {
            Executable = "dotnet",
            BaseDirectory = _root,
            Retention = retention,
            KeepCrashed = keepCrashed,
        });
}
