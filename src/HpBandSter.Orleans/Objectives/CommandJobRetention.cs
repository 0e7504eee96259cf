namespace HpBandSter.Orleans.Objectives;

/// <summary>Which job working directories a command objective keeps (<see cref="CommandObjectiveOptions.Retention"/>).</summary>
public enum CommandJobRetention
{
    /// <summary>Keep every job's directory (the default).</summary>
    All,

    /// <summary>
    /// Keep only the run's incumbent's directory (HpBandSter's incumbent rule: the lowest loss on the largest budget).
    /// While the run goes on, each silo keeps the directory of its own best job so far and deletes every other
    /// finished job's directory at once; when the run completes, it tells every silo of its objective its incumbent,
    /// and each deletes all the run's other directories, including those of jobs finished before a silo restart and
    /// of attempts that never ended. A silo that is down when the run completes does the same when it starts again.
    /// </summary>
    Incumbent,

    /// <summary>Delete each job's directory as soon as its result is read (and any left at the run's completion).</summary>
    None,
}
