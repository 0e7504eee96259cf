using HpBandSter.Optimizers;
using Microsoft.Extensions.Logging;

namespace HpBandSter.Orleans.Objectives;

/// <summary>What an evaluation knows about itself besides the configuration and budget.</summary>
public sealed class ObjectiveContext
{
    private readonly string _workingDirectoryRoot;
    private string? _workingDirectory;

    internal ObjectiveContext(string runId, JobKey job, int attempt, long seed, string workingDirectoryRoot, ILogger logger, CancellationToken cancellationToken)
    {
        RunId = runId;
        Job = job;
        Attempt = attempt;
        Seed = seed;
        _workingDirectoryRoot = workingDirectoryRoot;
        Logger = logger;
        CancellationToken = cancellationToken;
    }

    /// <summary>The run this evaluation belongs to.</summary>
    public string RunId { get; }

    /// <summary>The job: HpBandSter's config id <c>(iteration, stage, index)</c> and the budget.</summary>
    public JobKey Job { get; }

    /// <summary>1 for the first dispatch of the job, higher when it is evaluated again because its silo died.</summary>
    public int Attempt { get; }

    /// <summary>The run's seed, for objectives that want reproducible randomness (combine it with <see cref="Job"/>).</summary>
    public long Seed { get; }

    /// <summary>Fires on the run's per-job timeout, when the run is cancelled and when the silo shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>A logger for progress messages of this evaluation (its scope names the run and the job).</summary>
    public ILogger Logger { get; }

    /// <summary>
    /// A directory of this job's attempt of its own under the silo's data directory
    /// (<c>jobs/&lt;run&gt;/&lt;iteration&gt;_&lt;stage&gt;_&lt;index&gt;_b&lt;budget&gt;_a&lt;attempt&gt;</c>), created on
    /// first use. The run id is made a safe file name (no separators, never <c>.</c> or <c>..</c>), so a run id cannot
    /// lead out of <c>jobs/</c>; a job evaluated again after its silo died gets a fresh directory.
    /// </summary>
    public string WorkingDirectory
    {
        get
        {
            if (_workingDirectory is null)
            {
                var id = Job.Id;
                var budget = Job.Budget.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                var path = Path.Combine(RunDirectory(_workingDirectoryRoot, RunId), $"{id.Iteration}_{id.Stage}_{id.Index}_b{budget}_a{Attempt}");
                Directory.CreateDirectory(path);
                _workingDirectory = path;
            }

            return _workingDirectory;
        }
    }

    /// <summary>The silo's data directory (the root of <see cref="WorkingDirectory"/>).</summary>
    internal string DataDirectory => _workingDirectoryRoot;

    /// <summary>Where a silo keeps its runs' job directories: <c>&lt;data dir&gt;/jobs</c>.</summary>
    internal static string JobsDirectory(string dataDirectory) => Path.Combine(dataDirectory, "jobs");

    /// <summary>Where a silo keeps the job directories of run <paramref name="runId"/>: <c>&lt;data dir&gt;/jobs/&lt;safe run id&gt;</c>.</summary>
    internal static string RunDirectory(string dataDirectory, string runId) => Path.Combine(JobsDirectory(dataDirectory), Sanitize(runId));

    /// <summary>The run id as a safe directory name (see <see cref="WorkingDirectory"/>).</summary>
    internal string RunDirectoryName => Sanitize(RunId);

    /// <summary>A file name for <paramref name="name"/>: invalid characters and separators become '_', and a name of only dots (. ..) or an empty one gets a leading '_'.</summary>
    internal static string Sanitize(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = new string([.. name.Select(c => invalid.Contains(c) || c == '/' || c == '\\' || char.IsControl(c) ? '_' : c)]);
        return safe.Length == 0 || safe.All(c => c == '.') ? "_" + safe : safe;
    }
}
