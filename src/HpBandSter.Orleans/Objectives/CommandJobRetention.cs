namespace HpBandSter.Orleans.Objectives;

/// <summary>Which job working directories a command objective keeps (<see cref="CommandObjectiveOptions.Retention"/>).</summary>
public enum CommandJobRetention
{
    /// <summary>Keep every job's directory (the default).</summary>
    All,

    /// <summary>
    /// Keep, per run and per silo, only the directory of the best job so far: the lowest loss on the largest budget
    /// this silo has evaluated for the run (HpBandSter's incumbent rule). A job that beats it deletes the previous
    /// one; every other finished job's directory is deleted at once. The run's incumbent is always among the kept
    /// directories (on the silo that evaluated it); each other silo keeps at most one more per run. The choice is
    /// remembered in memory: directories of jobs finished before a silo restart are never deleted.
    /// </summary>
    Incumbent,

    /// <summary>Delete each job's directory as soon as its result is read.</summary>
    None,
}
