using System.Text.Json.Nodes;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// One silo process whose configuration file registers command objectives that all run <c>objective.py</c> (written
/// here) with python3 in a different mode: <c>ok</c>, <c>file</c>, <c>exit</c>, <c>malformed</c>, <c>noloss</c>,
/// <c>textloss</c>, <c>sleep</c> (8 s timeout), <c>hang</c> (no timeout); <c>cmd-keep</c> is <c>ok</c> with
/// <c>Retention: Incumbent</c>. The silo's environment holds HPBANDSTER_POSTGRES, which the programs must not see.
/// </summary>
public sealed class CommandObjectiveFixture : IAsyncLifetime
{
    /// <summary>The value of HPBANDSTER_POSTGRES in the silo's environment.</summary>
    public const string SiloSecret = "Host=nowhere;Password=silo-secret-4711";

    private const string Script = """
        import json, os, subprocess, sys, time
        mode = sys.argv[1]
        job = json.load(sys.stdin)
        config, budget = job["config"], job["budget"]
        x = config.get("x", 0.5)
        loss = (x - 0.3) ** 2 + 1.0 / budget
        info = {"config": config, "argv": sys.argv[1:], "cwd": os.getcwd(), "job": job,
                "job_file": os.environ.get("HPBANDSTER_JOB_FILE"), "secret": os.environ.get("HPBANDSTER_POSTGRES"),
                "fixed": os.environ.get("FIXED_SETTING")}
        if mode == "ok":
            print("some chatter before the result")
            print(json.dumps({"loss": loss, "info": info}))
        elif mode == "file":
            with open(os.path.join(job["working_directory"], "result.json"), "w") as f:
                json.dump({"loss": loss + 100, "info": {"from": "file"}}, f)
            print(json.dumps({"loss": -1}))
        elif mode == "exit":
            for i in range(1, 31):
                print("stderr line %d" % i, file=sys.stderr)
            sys.exit(3)
        elif mode == "malformed":
            print("malformed-marker on stderr", file=sys.stderr)
            print("loss=0.5")
        elif mode == "noloss":
            print("noloss-marker on stderr", file=sys.stderr)
            print(json.dumps({"info": {"loss_missing": True}}))
        elif mode == "textloss":
            print(json.dumps({"loss": "low"}))
        elif mode == "sleep":
            print("sleeping-marker on stderr", file=sys.stderr, flush=True)
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
            with open(os.path.join(job["working_directory"], "child.pid"), "w") as f:
                f.write(str(child.pid))
            time.sleep(120)
        elif mode == "hang":
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
            with open(os.path.join(job["working_directory"], "pids.tmp"), "w") as f:
                f.write("%d %d" % (os.getpid(), child.pid))
            os.rename(os.path.join(job["working_directory"], "pids.tmp"), os.path.join(job["working_directory"], "pids"))
            time.sleep(120)
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hpbandster-command-tests", Guid.NewGuid().ToString("N")[..12]);
    private SiloCluster? _cluster;

    internal SiloCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture did not start.");

    /// <summary>The search space file the objectives offer: x in [0, 1].</summary>
    public static string SpaceJson => """{"hyperparameters": [{"name": "x", "type": "uniform_float", "log": false, "lower": 0.0, "upper": 1.0, "default": 0.5}], "conditions": [], "forbiddens": []}""";

    public async Task InitializeAsync()
    {
        var python = FindOnPath("python3");
        Assert.True(python is not null, "python3 is not on PATH: the command objective tests run a Python script (Debian: apt-get install python3).");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(Path.Combine(_directory, "objective.py"), Script);
        await File.WriteAllTextAsync(Path.Combine(_directory, "space.json"), SpaceJson);

        var objectives = new JsonObject();
        foreach (var mode in new[] { "ok", "file", "exit", "malformed", "noloss", "textloss", "sleep", "hang" })
        {
            var objective = new JsonObject
            {
                ["Executable"] = "python3",
                ["Arguments"] = new JsonArray("{base}/objective.py", mode),
                ["SearchSpace"] = "space.json",
                ["Environment"] = new JsonObject { ["FIXED_SETTING"] = "from-config" },
            };
            if (mode == "sleep")
            {
                objective["Timeout"] = "00:00:08";
            }

            objectives["cmd-" + mode] = objective;
        }

        objectives["cmd-keep"] = new JsonObject
        {
            ["Executable"] = "python3",
            ["Arguments"] = new JsonArray("{base}/objective.py", "ok"),
            ["SearchSpace"] = "space.json",
            ["Retention"] = "Incumbent",
        };

        var settings = new JsonObject { ["HpBandSter"] = new JsonObject { ["Slots"] = 4, ["Objectives"] = "none", ["CommandObjectives"] = objectives } };
        var configFile = Path.Combine(_directory, "appsettings.json");
        await File.WriteAllTextAsync(configFile, settings.ToJsonString());
        _cluster = await SiloCluster.StartConfiguredAsync(["--config", configFile], new Dictionary<string, string> { ["HPBANDSTER_POSTGRES"] = SiloSecret });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
