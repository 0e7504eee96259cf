using System.Text.Json.Nodes;
using HpBandSter.Sampling;

namespace HpBandSter.Results;

/// <summary>
/// A previous result as a new run sees it when warm-started from it (HpBandSter's <c>WarmStartIteration</c>):
/// every configuration renumbered into iteration -1 and every run re-timed so that the previous run's last job
/// finishes at the new run's start.
/// </summary>
/// <param name="Configs">The previous configurations with their new ids <c>(-1, 0, i)</c>, in the previous data order.</param>
/// <param name="Runs">The previous runs under the new ids, per configuration by ascending budget, re-timed.</param>
/// <param name="IdMap">Previous id → new id.</param>
public sealed record WarmStartData(
    IReadOnlyList<ConfigRecord> Configs,
    IReadOnlyList<Run> Runs,
    IReadOnlyDictionary<ConfigId, ConfigId> IdMap)
{
    /// <summary>
    /// Builds the warm-start view of <paramref name="previous"/>. Pure: the previous result is not changed.
    /// </summary>
    /// <remarks>
    /// <para>As HpBandSter does:</para>
    /// <list type="bullet">
    /// <item>the i-th configuration (in data order) gets id <c>(-1, 0, i)</c> and keeps its config and info (deep copies);</item>
    /// <item>every run keeps budget, loss and info, and its timestamps (relative to the previous run's start) are moved by
    /// <c>-max(finished over all previous runs, crashed ones included)</c>, so the last finish is at 0 and earlier times
    /// are negative; then <paramref name="timeRef"/> is added (HpBandSter's <c>fix_timestamps(time_ref)</c>), so that a
    /// new <see cref="OptimizationResult"/> with that TimeRef shows them relative to the new run's start again.</item>
    /// </list>
    /// <para>
    /// Differences: crashed runs keep a null loss (HpBandSter turns them into <c>{'loss': None}</c> results and then
    /// fails on <c>np.isfinite(None)</c>, issues #32/#95), and error logs are kept (HpBandSter drops them, because it
    /// stores them in <c>job.error_logs</c> while <c>register_result</c> reads <c>job.exception</c>). A previous result
    /// without runs gives configurations only (HpBandSter fails on <c>max()</c> of nothing).
    /// </para>
    /// </remarks>
    /// <param name="previous">The earlier result.</param>
    /// <param name="timeRef">The new run's TimeRef; 0 gives timestamps relative to the new run's start.</param>
    public static WarmStartData FromPreviousResult(OptimizationResult previous, double timeRef = 0)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var allRuns = previous.GetAllRuns();
        var shift = (allRuns.Count == 0 ? 0 : -allRuns.Max(r => r.TimeStamps.Finished)) + timeRef;
        var configs = new List<ConfigRecord>(previous.ConfigCount);
        var runs = new List<Run>(allRuns.Count);
        var idMap = new OrderedDictionary<ConfigId, ConfigId>(previous.ConfigCount);
        foreach (var config in previous.Configs)
        {
            var newId = new ConfigId(-1, 0, configs.Count);
            idMap[config.Id] = newId;
            configs.Add(new ConfigRecord(newId, config.Config, (JsonObject)config.Info.DeepClone()));
            foreach (var run in previous.GetRunsById(config.Id))
            {
                runs.Add(run with
                {
                    ConfigId = newId,
                    Info = run.Info?.DeepClone(),
                    TimeStamps = run.TimeStamps.Shift(shift),
                });
            }
        }

        return new WarmStartData(configs, runs, idMap);
    }

    /// <summary>
    /// The runs as a config generator sees them (<see cref="Optimizers.Optimizer"/>'s <c>warmStart</c>), in
    /// <see cref="Runs"/> order; crashed runs keep their null loss (the model counts them as +inf).
    /// </summary>
    public IEnumerable<Observation> ToObservations()
    {
        var configs = Configs.ToDictionary(c => c.Id, c => c.Config);
        return Runs.Select(r => new Observation(configs[r.ConfigId], r.Budget, r.Loss));
    }
}
