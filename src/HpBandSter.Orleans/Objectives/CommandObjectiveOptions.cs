namespace HpBandSter.Orleans.Objectives;

/// <summary>
/// An objective that is an external program (<c>AddCommandObjective</c>; the silo program's
/// <c>HpBandSter:CommandObjectives:&lt;name&gt;</c> configuration section). Everything here is fixed by the operator
/// when the silo starts; a run only names the objective and sends configurations and budgets, which reach the
/// program as JSON data (stdin and <c>job.json</c>), never as arguments, environment or paths.
/// </summary>
/// <remarks>
/// <para>Per job the silo starts <see cref="Executable"/> with <see cref="Arguments"/> directly (no shell), in
/// <see cref="WorkingDirectory"/>, writes the job
/// <c>{"config": {...}, "budget": b, "config_id": [i, s, k], "working_directory": "...", "run_id": "...", "seed": n, "attempt": a}</c>
/// to its stdin (then closes it) and to <c>job.json</c> in the job's directory, and reads the result
/// <c>{"loss": number, "info": any}</c> from <c>result.json</c> in the job's directory when the program wrote one,
/// else from the last non-empty line of its stdout. Exit code 0 is required.</para>
/// <para>Placeholders: <c>{base}</c> (<see cref="BaseDirectory"/>) in <see cref="Executable"/>,
/// <see cref="Arguments"/>, <see cref="WorkingDirectory"/>, <see cref="SearchSpace"/> and
/// <see cref="Environment"/> values; in <see cref="WorkingDirectory"/> also <c>{job}</c> (the job's own directory),
/// <c>{data}</c> (the silo's data directory) and <c>{run}</c> (the run id made safe as a file name).</para>
/// </remarks>
public sealed class CommandObjectiveOptions
{
    /// <summary>
    /// The program: an absolute path, a path relative to <see cref="BaseDirectory"/> (when it contains a directory
    /// separator), or a bare name looked up on <c>PATH</c> when the silo starts. Required.
    /// </summary>
    public string Executable { get; set; } = string.Empty;

    /// <summary>The fixed argument list, passed one by one (no shell, no word splitting).</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>
    /// The program's current directory. Default <c>{job}</c>: the job's own directory
    /// <c>&lt;data&gt;/jobs/&lt;run&gt;/&lt;iteration&gt;_&lt;stage&gt;_&lt;index&gt;_b&lt;budget&gt;_a&lt;attempt&gt;</c>
    /// (created for every job whatever this says; <c>job.json</c> and <c>result.json</c> live there).
    /// </summary>
    public string WorkingDirectory { get; set; } = "{job}";

    /// <summary>Extra environment variables (the silo's own environment is inherited).</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Longest a job may run before its process tree is killed and the job is recorded as crashed. Null: no limit of
    /// the objective's own (the run's job timeout, if any, still applies). Default null.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>A ConfigSpace JSON file: the search space runs use when they bring none. Optional.</summary>
    public string? SearchSpace { get; set; }

    /// <summary>Which job directories to keep. Default <see cref="CommandJobRetention.All"/>.</summary>
    public CommandJobRetention Retention { get; set; } = CommandJobRetention.All;

    /// <summary>Keep the directories of crashed jobs whatever <see cref="Retention"/> says (for debugging). Default true.</summary>
    public bool KeepCrashed { get; set; } = true;

    /// <summary>
    /// At most this many bytes of stdout are kept (the rest is read and dropped from the front, so the last line is
    /// what counts); a <c>result.json</c> larger than this crashes the job. Default 1 MiB.
    /// </summary>
    public int MaxOutputBytes { get; set; } = 1 << 20;

    /// <summary>How much of stderr becomes a crashed job's error text: its last lines, at most 4 KiB. Default 20.</summary>
    public int StderrTailLines { get; set; } = 20;

    /// <summary>
    /// What <c>{base}</c> and relative paths in <see cref="Executable"/> and <see cref="SearchSpace"/> mean. Default:
    /// the silo's current directory. The silo program sets it to the directory of its configuration file.
    /// </summary>
    public string? BaseDirectory { get; set; }
}
