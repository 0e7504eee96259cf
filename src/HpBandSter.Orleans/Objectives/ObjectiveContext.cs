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
    /// A directory of this job's own under the silo's data directory
    /// (<c>jobs/&lt;run&gt;/&lt;iteration&gt;_&lt;stage&gt;_&lt;index&gt;_b&lt;budget&gt;</c>), created on first use.
    /// </summary>
    public string WorkingDirectory
    {
        get
        {
            if (_workingDirectory is null)
            {
                var id = Job.Id;
                var budget = Job.Budget.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                var path = Path.Combine(_workingDirectoryRoot, "jobs", Sanitize(RunId), $"{id.Iteration}_{id.Stage}_{id.Index}_b{budget}");
                Directory.CreateDirectory(path);
                _workingDirectory = path;
            }

            return _workingDirectory;
        }
    }

    private static string Sanitize(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string([.. name.Select(c => invalid.Contains(c) ? '_' : c)]);
    }
}
