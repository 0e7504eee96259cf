using System.Text.Json.Nodes;

namespace HpBandSter.Results;

/// <summary>
/// The configurations and runs of one optimization, with HpBandSter's analyses. It mirrors HpBandSter's
/// <c>hpbandster.core.result.Result</c> (the object <c>Master.run</c> returns and
/// <c>logged_results_to_HBS_result</c> rebuilds), method for method.
/// </summary>
/// <remarks>
/// <para>
/// Order matters where HpBandSter's does: configurations keep the order they are given in (HpBandSter's merged
/// dict order: iterations in order, then warm-start data), each configuration's runs are sorted by ascending
/// budget, and <see cref="GetAllRuns"/> lists configurations in order and, within each, budgets ascending.
/// </para>
/// <para>
/// A non-finite loss is kept as reported (<see cref="Run.Loss"/>). HpBandSter's analyses take every run whose loss
/// "is not None", so +∞ and -∞ take part exactly as in HpBandSter. NaN losses are skipped like missing ones: in
/// HpBandSter a NaN makes <c>min()</c> depend on dict order and can freeze the trajectory, which no caller wants.
/// </para>
/// <para>The object is immutable; treat the JSON nodes it exposes (<see cref="ConfigRecord.Info"/>, <see cref="Run.Info"/>) as read-only.</para>
/// </remarks>
public sealed class OptimizationResult
{
    private readonly ConfigRecord[] _configs;
    private readonly Dictionary<ConfigId, int> _index;
    private readonly Run[][] _runsByConfig;
    private readonly Run[] _allRuns;

    /// <summary>
    /// Builds a result (HpBandSter's <c>Result(HB_iteration_data, HB_config)</c>): subtracts
    /// <see cref="ResultSettings.TimeRef"/> from every timestamp so that times are relative to the run start.
    /// </summary>
    /// <param name="configs">Every configuration, in HpBandSter's data order. Ids must be distinct.</param>
    /// <param name="runs">
    /// Every run, with timestamps on the clock of <see cref="ResultSettings.TimeRef"/> (pass a TimeRef of 0 for
    /// timestamps that are already relative). Each must name a configuration in <paramref name="configs"/>, and a
    /// configuration has at most one run per budget.
    /// </param>
    /// <param name="settings">The optimizer settings the analyses need.</param>
    /// <exception cref="ArgumentException">A repeated configuration id, a run of an unknown configuration, or a repeated (configuration, budget).</exception>
    public OptimizationResult(IEnumerable<ConfigRecord> configs, IEnumerable<Run> runs, ResultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configs);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _configs = configs.ToArray();
        _index = new Dictionary<ConfigId, int>(_configs.Length);
        for (var i = 0; i < _configs.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(_configs[i], nameof(configs));
            if (!_index.TryAdd(_configs[i].Id, i))
            {
                throw new ArgumentException($"Configuration {_configs[i].Id} appears twice; every configuration id must be unique.", nameof(configs));
            }
        }

        var perConfig = new List<Run>[_configs.Length];
        for (var i = 0; i < perConfig.Length; i++)
        {
            perConfig[i] = [];
        }

        foreach (var run in runs)
        {
            ArgumentNullException.ThrowIfNull(run, nameof(runs));
            if (!_index.TryGetValue(run.ConfigId, out var i))
            {
                throw new ArgumentException($"A run on budget {run.Budget} refers to configuration {run.ConfigId}, which is not among the configurations; add its ConfigRecord.", nameof(runs));
            }

            if (perConfig[i].Exists(r => r.Budget == run.Budget))
            {
                throw new ArgumentException($"Configuration {run.ConfigId} has two runs on budget {run.Budget}; keep one run per configuration and budget.", nameof(runs));
            }

            perConfig[i].Add(settings.TimeRef == 0 ? run : run with { TimeStamps = run.TimeStamps.Shift(-settings.TimeRef) });
        }

        _runsByConfig = perConfig.Select(list => list.OrderBy(r => r.Budget).ToArray()).ToArray();
        _allRuns = _runsByConfig.SelectMany(r => r).ToArray();
    }

    /// <summary>The optimizer settings (HpBandSter's <c>HB_config</c>).</summary>
    public ResultSettings Settings { get; }

    /// <summary>All configurations, in data order.</summary>
    public IReadOnlyList<ConfigRecord> Configs => _configs;

    /// <summary>The number of configurations.</summary>
    public int ConfigCount => _configs.Length;

    /// <summary>The number of runs (evaluations), crashed ones included.</summary>
    public int RunCount => _allRuns.Length;

    /// <summary>The sum of the budgets of all runs, crashed ones included.</summary>
    public double TotalBudget => _allRuns.Sum(r => r.Budget);

    /// <summary>
    /// <see cref="TotalBudget"/> in units of full evaluations (divided by <see cref="ResultSettings.MaxBudget"/>),
    /// the measure HpBandSter's papers plot budgets in.
    /// </summary>
    public double FullEvaluations => TotalBudget / Settings.MaxBudget;

    /// <summary>The configuration with this id (HpBandSter's <c>result[config_id]</c>).</summary>
    /// <exception cref="KeyNotFoundException">No such configuration.</exception>
    public ConfigRecord this[ConfigId id] => _configs[IndexOf(id)];

    /// <summary>
    /// The incumbent's configuration id (HpBandSter's <c>get_incumbent_id</c> for the default selection), or null
    /// when no run qualifies.
    /// </summary>
    /// <param name="selection">Which runs compete; see <see cref="IncumbentSelection"/>.</param>
    public ConfigId? GetIncumbentId(IncumbentSelection selection = IncumbentSelection.MaxBudget) =>
        GetIncumbentRun(selection)?.ConfigId;

    /// <summary>The run that makes the incumbent (with its budget and loss), or null when no run qualifies.</summary>
    /// <param name="selection">Which runs compete; see <see cref="IncumbentSelection"/>.</param>
    public Run? GetIncumbentRun(IncumbentSelection selection = IncumbentSelection.MaxBudget)
    {
        IEnumerable<Run> candidates = selection switch
        {
            IncumbentSelection.MaxBudget => _allRuns.Where(r => r.Budget == Settings.MaxBudget && r.HasComparableLoss),
            IncumbentSelection.HighestBudgetPerConfig => _runsByConfig
                .Select(runs => runs.LastOrDefault(r => !r.IsCrashed))
                .OfType<Run>(),
            IncumbentSelection.AnyRun => _allRuns.Where(r => !r.IsCrashed),
            _ => throw new ArgumentOutOfRangeException(nameof(selection), selection, "Unknown incumbent selection."),
        };

        Run? best = null;
        foreach (var run in candidates)
        {
            if (best is null || IsBetter(run, best))
            {
                best = run;
            }
        }

        return best;
    }

    /// <summary>
    /// The incumbent over time, as HpBandSter's <c>get_incumbent_trajectory</c> computes it.
    /// </summary>
    /// <remarks>
    /// <para>The exact procedure (HpBandSter 0.7.4 semantics):</para>
    /// <list type="number">
    /// <item>Take <see cref="GetAllRuns"/>; with <paramref name="allBudgets"/> false, take each configuration's
    /// largest-budget run and keep those on exactly <see cref="ResultSettings.MaxBudget"/>. (HpBandSter raises
    /// NameError there, referencing an undefined <c>res</c>; this is the intended behaviour.)</item>
    /// <item>Sort them by finish time (stable, so equal times keep data order).</item>
    /// <item>Start with incumbent loss +∞ and incumbent budget <see cref="ResultSettings.MinBudget"/>.</item>
    /// <item>For each run with a loss (null and NaN skipped): it becomes the incumbent if
    /// (<paramref name="biggerIsBetter"/> and its budget is larger than the incumbent's) or its loss is lower
    /// than the incumbent's; but not if <paramref name="nonDecreasingBudget"/> and its budget is smaller than the
    /// incumbent's. A new incumbent appends a point (id, finish time, budget, loss) and sets the incumbent loss and
    /// budget.</item>
    /// <item>If the incumbent loss differs from the loss of the last run in the sorted list (any last run, also one
    /// without a loss, which always differs), append a final point repeating the last incumbent's id, budget and loss
    /// at that last run's finish time. HpBandSter compares with the loop variable, that is with the last run, not with
    /// the incumbent run; this is reproduced.</item>
    /// </list>
    /// <para>When no run has a loss the trajectory is empty (HpBandSter raises an error).</para>
    /// </remarks>
    /// <param name="allBudgets">Whether runs on every budget may become the incumbent (else only the maximum budget).</param>
    /// <param name="biggerIsBetter">Whether a run on a larger budget always replaces the incumbent, whatever its loss.</param>
    /// <param name="nonDecreasingBudget">Whether a run on a smaller budget than the incumbent's can never replace it.</param>
    public IncumbentTrajectory GetIncumbentTrajectory(bool allBudgets = true, bool biggerIsBetter = true, bool nonDecreasingBudget = true)
    {
        IEnumerable<Run> selected = GetAllRuns(onlyLargestBudget: !allBudgets);
        if (!allBudgets)
        {
            selected = selected.Where(r => r.Budget == Settings.MaxBudget);
        }

        var runs = selected.OrderBy(r => r.TimeStamps.Finished).ToArray();
        var ids = new List<ConfigId>();
        var times = new List<double>();
        var budgets = new List<double>();
        var losses = new List<double>();
        var currentLoss = double.PositiveInfinity;
        var currentBudget = Settings.MinBudget;
        foreach (var run in runs)
        {
            if (!run.HasComparableLoss)
            {
                continue;
            }

            var loss = run.Loss!.Value;
            var isNew = (biggerIsBetter && run.Budget > currentBudget) || loss < currentLoss;
            if (nonDecreasingBudget && run.Budget < currentBudget)
            {
                isNew = false;
            }

            if (isNew)
            {
                currentLoss = loss;
                currentBudget = run.Budget;
                ids.Add(run.ConfigId);
                times.Add(run.TimeStamps.Finished);
                budgets.Add(run.Budget);
                losses.Add(loss);
            }
        }

        if (ids.Count == 0)
        {
            return IncumbentTrajectory.Empty;
        }

        var last = runs[^1];
        if (last.Loss is not { } lastLoss || currentLoss != lastLoss)
        {
            ids.Add(ids[^1]);
            times.Add(last.TimeStamps.Finished);
            budgets.Add(budgets[^1]);
            losses.Add(losses[^1]);
        }

        return new IncumbentTrajectory(ids, times, budgets, losses);
    }

    /// <summary>The runs of one configuration, by ascending budget (HpBandSter's <c>get_runs_by_id</c>).</summary>
    /// <exception cref="KeyNotFoundException">No such configuration.</exception>
    public IReadOnlyList<Run> GetRunsById(ConfigId id) => _runsByConfig[IndexOf(id)];

    /// <summary>
    /// All runs (HpBandSter's <c>get_all_runs</c>): configurations in data order, each with its runs by ascending
    /// budget; with <paramref name="onlyLargestBudget"/>, only each configuration's largest-budget run (crashed or not).
    /// </summary>
    public IReadOnlyList<Run> GetAllRuns(bool onlyLargestBudget = false) =>
        onlyLargestBudget
            ? _runsByConfig.Where(r => r.Length > 0).Select(r => r[^1]).ToArray()
            : _allRuns;

    /// <summary>
    /// The learning curves of the configurations (HpBandSter's <c>get_learning_curves</c>): for each id, in data
    /// order or the order given, the curves the extractor makes from its runs (by ascending budget).
    /// </summary>
    /// <param name="extractor">Turns one configuration's runs into curves; <see cref="ExtractLearningCurves"/> by default.</param>
    /// <param name="configIds">The configurations wanted; all by default.</param>
    /// <exception cref="KeyNotFoundException">An id in <paramref name="configIds"/> is not in the result.</exception>
    public IReadOnlyDictionary<ConfigId, IReadOnlyList<IReadOnlyList<LearningCurvePoint>>> GetLearningCurves(
        Func<IReadOnlyList<Run>, IReadOnlyList<IReadOnlyList<LearningCurvePoint>>>? extractor = null,
        IEnumerable<ConfigId>? configIds = null)
    {
        extractor ??= ExtractLearningCurves;
        var curves = new OrderedDictionary<ConfigId, IReadOnlyList<IReadOnlyList<LearningCurvePoint>>>();
        foreach (var id in configIds ?? _configs.Select(c => c.Id))
        {
            curves[id] = extractor(GetRunsById(id));
        }

        return curves;
    }

    /// <summary>
    /// The default learning-curve extractor (HpBandSter's <c>extract_HBS_learning_curves</c>): a single curve of
    /// (budget, loss) by ascending budget, leaving out runs without a loss.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<LearningCurvePoint>> ExtractLearningCurves(IReadOnlyList<Run> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var curve = runs
            .OrderBy(r => r.Budget)
            .Where(r => r.Loss is not null)
            .Select(r => new LearningCurvePoint(r.Budget, r.Loss!.Value))
            .ToArray();
        return [curve];
    }

    /// <summary>
    /// Every configuration with its info, as deep copies (HpBandSter's <c>get_id2config_mapping</c>), in data order.
    /// </summary>
    public IReadOnlyDictionary<ConfigId, ConfigRecord> GetId2ConfigMapping()
    {
        var mapping = new OrderedDictionary<ConfigId, ConfigRecord>(_configs.Length);
        foreach (var config in _configs)
        {
            mapping[config.Id] = config with { Info = (JsonObject)config.Info.DeepClone() };
        }

        return mapping;
    }

    /// <summary>The number of iterations: the largest iteration in any configuration id plus one; 0 when there are none.</summary>
    public int NumIterations() => _configs.Length == 0 ? 0 : _configs.Max(c => c.Id.Iteration) + 1;

    /// <summary>
    /// Spearman's rank correlation of the losses between every pair of budgets (HpBandSter's
    /// <c>correlation_across_budgets</c>, without the plot).
    /// </summary>
    /// <remarks>
    /// The budgets are the distinct budgets of all runs, ascending. For each pair of budgets (b1 &lt; b2), every
    /// configuration that has finite losses on both contributes one pair. The pairs are listed with the lower
    /// budget ascending, then the higher budget ascending.
    /// </remarks>
    public IReadOnlyList<BudgetCorrelation> GetCorrelationAcrossBudgets()
    {
        var budgets = _allRuns.Select(r => r.Budget).Distinct().Order().ToArray();
        var pairs = new Dictionary<(double, double), (List<double> Low, List<double> High)>();
        for (var i = 0; i < budgets.Length; i++)
        {
            for (var j = i + 1; j < budgets.Length; j++)
            {
                pairs[(budgets[i], budgets[j])] = ([], []);
            }
        }

        foreach (var runs in _runsByConfig)
        {
            for (var i = 0; i < runs.Length; i++)
            {
                for (var j = i + 1; j < runs.Length; j++)
                {
                    if (runs[i].IsCrashed || runs[j].IsCrashed)
                    {
                        continue;
                    }

                    var (low, high) = pairs[(runs[i].Budget, runs[j].Budget)];
                    low.Add(runs[i].Loss!.Value);
                    high.Add(runs[j].Loss!.Value);
                }
            }
        }

        var correlations = new List<BudgetCorrelation>(pairs.Count);
        for (var i = 0; i < budgets.Length; i++)
        {
            for (var j = i + 1; j < budgets.Length; j++)
            {
                var (low, high) = pairs[(budgets[i], budgets[j])];
                var (rho, p) = Spearman.Correlate(low, high);
                correlations.Add(new BudgetCorrelation(budgets[i], budgets[j], low.Count, rho, p));
            }
        }

        return correlations;
    }

    /// <summary>How many configurations were model-based picks, random picks, or unflagged.</summary>
    public PickCounts CountPicks()
    {
        int model = 0, random = 0, unknown = 0;
        foreach (var config in _configs)
        {
            switch (config.ModelBasedPick)
            {
                case true:
                    model++;
                    break;
                case false:
                    random++;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        return new PickCounts(model, random, unknown);
    }

    private int IndexOf(ConfigId id) =>
        _index.TryGetValue(id, out var i)
            ? i
            : throw new KeyNotFoundException($"Configuration {id} is not in this result.");

    // Lower loss wins; then (for the any-budget selections) the larger budget; then the smaller id, as Python's
    // min() over (loss, config_id) tuples. On the maximum budget all budgets are equal, so that rule reduces to HpBandSter's.
    private static bool IsBetter(Run candidate, Run best)
    {
        var loss = candidate.Loss!.Value;
        var bestLoss = best.Loss!.Value;
        if (loss != bestLoss)
        {
            return loss < bestLoss;
        }

        if (candidate.Budget != best.Budget)
        {
            return candidate.Budget > best.Budget;
        }

        return candidate.ConfigId < best.ConfigId;
    }
}
