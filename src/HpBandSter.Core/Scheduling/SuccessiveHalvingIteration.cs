using System.Collections.ObjectModel;
using System.Globalization;

namespace HpBandSter.Scheduling;

/// <summary>
/// One iteration (bracket) of successive halving: HpBandSter's <c>BaseIteration</c> with <c>SuccessiveHalving</c>'s
/// promotion rule, as a pure state machine. The optimizer asks it for runs and feeds it results.
/// </summary>
/// <remarks>
/// <para>Stages are synchronous: the next stage starts only when every run of the current one has reported. At the end
/// of a stage the configurations in <see cref="ConfigStatus.Review"/> are ranked by loss; the best
/// <c>NumConfigs[stage + 1]</c> are queued at the next budget and the rest are terminated. Crashed configurations
/// take no part. If fewer configurations advance than the next stage has slots, the missing ones are sampled afresh
/// at that stage's budget, with ids <c>(iteration, stage, k)</c> where <c>k</c> counts the stage's configurations so
/// far (promoted ones included).</para>
/// <para>Ties in the ranking go to the configuration added first (lower config id). HpBandSter leaves this to numpy's
/// unstable <c>argsort</c>, which gives the same order for small brackets but not in general.</para>
/// <para>Not thread-safe; the optimizer serializes calls.</para>
/// </remarks>
public sealed partial class SuccessiveHalvingIteration
{
    private readonly Func<double, SampledConfiguration> _sampler;
    private readonly OrderedDictionary<ConfigId, Datum> _data = [];
    private readonly Queue<Datum> _queued = new();
    private readonly int[] _actualNumConfigs;

    /// <summary>Creates the iteration.</summary>
    /// <param name="iteration">The iteration number (first element of every config id).</param>
    /// <param name="plan">Configurations and budget per stage.</param>
    /// <param name="sampler">Draws a new configuration for the budget it is first scheduled at (HpBandSter's
    /// <c>config_generator.get_config</c>).</param>
    public SuccessiveHalvingIteration(int iteration, BracketPlan plan, Func<double, SampledConfiguration> sampler)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sampler);
        Iteration = iteration;
        Plan = plan;
        _sampler = sampler;
        _actualNumConfigs = new int[plan.StageCount];
        ActualNumConfigs = Array.AsReadOnly(_actualNumConfigs);
        Data = new ReadOnlyDictionary<ConfigId, Datum>(_data);
    }

    /// <summary>The iteration number.</summary>
    public int Iteration { get; }

    /// <summary>Configurations and budget per stage.</summary>
    public BracketPlan Plan { get; }

    /// <summary>The stage being run, from 0; equals <see cref="BracketPlan.StageCount"/> once finished.</summary>
    public int CurrentStage { get; private set; }

    /// <summary>Whether the last stage has been ranked and every configuration is <see cref="ConfigStatus.Completed"/>.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Runs handed out whose results have not arrived.</summary>
    public int NumRunning { get; private set; }

    /// <summary>Per stage, how many configurations it has received so far, sampled or promoted
    /// (HpBandSter's <c>actual_num_configs</c>).</summary>
    public IReadOnlyList<int> ActualNumConfigs { get; }

    /// <summary>Every configuration of the iteration, in the order they were added.</summary>
    public IReadOnlyDictionary<ConfigId, Datum> Data { get; }

    /// <summary>
    /// The next run to start (HpBandSter's <c>get_next_run</c>), or null when the iteration is finished or waits for
    /// results before its next stage can start.
    /// </summary>
    /// <remarks>
    /// Queued configurations go first, in the order they were added. Then free slots of the current stage are filled
    /// with newly sampled configurations (<see cref="ScheduledRun.IsNewConfiguration"/>). When the stage is full and
    /// nothing runs, the stage is ranked and the next one begins.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The sampler returned null.</exception>
    public ScheduledRun? NextRun()
    {
        while (!IsFinished)
        {
            if (_queued.TryDequeue(out var queued))
            {
                queued.Status = ConfigStatus.Running;
                NumRunning++;
                return new ScheduledRun(queued.Id, queued.Config, queued.Budget, IsNewConfiguration: false);
            }

            if (_actualNumConfigs[CurrentStage] < Plan.NumConfigs[CurrentStage])
            {
                var budget = Plan.Budgets[CurrentStage];
                var sampled = _sampler(budget)
                    ?? throw new InvalidOperationException($"The config sampler returned null for budget {Format(budget)} in iteration {Iteration}.");
                var id = new ConfigId(Iteration, CurrentStage, _actualNumConfigs[CurrentStage]);
                var datum = new Datum(id, sampled.Config, sampled.Info, budget) { Status = ConfigStatus.Running };
                _data.Add(id, datum);
                _actualNumConfigs[CurrentStage]++;
                NumRunning++;
                return new ScheduledRun(id, datum.Config, budget, IsNewConfiguration: true);
            }

            if (NumRunning > 0)
            {
                return null;
            }

            AdvanceStage();
        }

        return null;
    }

    /// <summary>
    /// Records the result of a run (HpBandSter's <c>register_result</c>): the configuration moves to
    /// <see cref="ConfigStatus.Review"/> if <paramref name="loss"/> is finite, to <see cref="ConfigStatus.Crashed"/>
    /// otherwise (null, NaN or ±infinity).
    /// </summary>
    /// <param name="id">The run's configuration id.</param>
    /// <param name="budget">The budget it ran at; must be the one it was scheduled at.</param>
    /// <param name="loss">The loss, or null when the run produced no result.</param>
    /// <param name="error">Error text (e.g. a traceback), or null.</param>
    /// <exception cref="ArgumentException">The id is not part of this iteration, or the budget is not the scheduled one.</exception>
    /// <exception cref="InvalidOperationException">The iteration is finished, or the configuration is not running
    /// (its result was already registered, or it was never handed out).</exception>
    public void RegisterResult(ConfigId id, double budget, double? loss, string? error)
    {
        if (IsFinished)
        {
            throw new InvalidOperationException($"Iteration {Iteration} is finished and takes no more results (got one for {id}).");
        }

        if (!_data.TryGetValue(id, out var datum))
        {
            throw new ArgumentException($"Configuration {id} is not part of iteration {Iteration}; pass the id NextRun returned.", nameof(id));
        }

        if (datum.Status != ConfigStatus.Running)
        {
            throw new InvalidOperationException(
                $"Configuration {id} is {datum.Status}, not Running; a result is registered once per run handed out by NextRun.");
        }

        if (!budget.Equals(datum.Budget))
        {
            throw new ArgumentException(
                $"Configuration {id} was scheduled at budget {Format(datum.Budget)}, but the result is for budget {Format(budget)}.", nameof(budget));
        }

        var result = new BudgetResult(budget, loss, error);
        datum.AddResult(result);
        datum.Status = result.IsSuccess ? ConfigStatus.Review : ConfigStatus.Crashed;
        NumRunning--;
    }

    /// <summary>Ends the current stage (HpBandSter's <c>process_results</c>).</summary>
    private void AdvanceStage()
    {
        CurrentStage++;
        var review = _data.Values.Where(d => d.Status == ConfigStatus.Review).ToList();
        if (CurrentStage >= Plan.StageCount)
        {
            foreach (var datum in _data.Values)
            {
                datum.Status = ConfigStatus.Completed;
            }

            IsFinished = true;
            return;
        }

        var finishedBudget = Plan.Budgets[CurrentStage - 1];
        var nextBudget = Plan.Budgets[CurrentStage];
        var slots = Plan.NumConfigs[CurrentStage];

        // Rank by loss; OrderBy is stable, so ties keep the order the configurations were added in.
        var advancing = review
            .Select((datum, position) => (Loss: datum.ResultAt(finishedBudget)!.Loss!.Value, Position: position))
            .OrderBy(x => x.Loss)
            .Take(slots)
            .Select(x => x.Position)
            .ToHashSet();

        for (var i = 0; i < review.Count; i++)
        {
            var datum = review[i];
            if (advancing.Contains(i))
            {
                datum.Status = ConfigStatus.Queued;
                datum.Budget = nextBudget;
                _actualNumConfigs[CurrentStage]++;
                _queued.Enqueue(datum);
            }
            else
            {
                datum.Status = ConfigStatus.Terminated;
            }
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
