using System.Text.Json;
using System.Text.Json.Nodes;
using HpBandSter.Scheduling;
using HpBandSter.Snapshots;
using HpBandSter.Spaces;

namespace HpBandSter.Sampling;

/// <summary>
/// H2BO's config generator (HpBandSter <c>config_generators/h2bo.py</c>): good/bad densities per budget as in
/// BOHB, but a proposal draws <c>num_samples</c> candidates from the good density itself (HpBandSter accepts
/// <c>bandwidth_factor</c> for H2BO and never uses it) and keeps the one with the largest l(x)/g(x), using the
/// model of the budget it is asked for (H2BO's schedule starts each bracket on the largest budget with a model).
/// </summary>
/// <remarks>
/// As in HpBandSter: crashed results are not used; a configuration seen again on the same budget has its losses
/// averaged; the good set has at least 3 points and the bad set is the rest. Deviations: HpBandSter's own
/// multivariate KDE for H2BO is replaced by the one BOHB uses (normal-reference bandwidths clipped at
/// <c>min_bandwidth</c>), and its imputation (which references an undefined attribute, defect 13) by BOHB's.
/// </remarks>
public sealed class H2boGenerator : ConfigGenerator
{
    private readonly BohbSettings _settings;
    private readonly ModelColumns _columns;
    private readonly int _minPoints;
    private readonly SortedDictionary<double, BudgetObservations> _observations = [];
    private readonly SortedDictionary<double, GoodBadModel> _models = [];

    /// <summary>Creates the generator; <paramref name="settings"/> is validated.</summary>
    public H2boGenerator(ConfigurationSpace space, RandomSource random, BohbSettings? settings = null)
        : base(space, random)
    {
        _settings = settings ?? new BohbSettings(NumSamples: 32, BandwidthFactor: 1);
        _settings.Validate();
        _columns = new ModelColumns(space);
        _minPoints = Math.Max(_columns.Count + 1, _settings.MinPointsInModel ?? 0);
    }

    /// <summary>The fitted models by budget (for tests that compare a restored generator with its original).</summary>
    internal IReadOnlyDictionary<double, GoodBadModel> Models => _models;

    /// <inheritdoc />
    public override double LargestBudgetWithModel => _models.Count == 0 ? double.NegativeInfinity : _models.Keys.Last();

    /// <inheritdoc />
    public override SampledConfiguration GetConfig(double budget)
    {
        if (_models.Count == 0 || Random.NextDouble() < _settings.RandomFraction || !_models.TryGetValue(budget, out var model))
        {
            return SampleFromPrior(); // no model on this budget: HpBandSter's KeyError lands in the same fallback
        }

        var d = _columns.Count;
        var count = _settings.NumSamples;
        var candidates = new double[count * d];
        for (var s = 0; s < count; s++)
        {
            model.Good.SampleProposal(1.0, Random, candidates.AsSpan(s * d, d), _columns.Unbounded);
        }

        var good = new double[count];
        var bad = new double[count];
        model.Good.PdfBatch(candidates, count, good);
        model.Bad.PdfBatch(candidates, count, bad);
        var best = -1;
        var bestRatio = double.NegativeInfinity;
        for (var s = 0; s < count; s++)
        {
            var ratio = good[s] / bad[s];
            if (ratio > bestRatio)
            {
                bestRatio = ratio;
                best = s;
            }
        }

        if (best < 0)
        {
            return SampleFromPrior();
        }

        try
        {
            var config = _columns.ToConfiguration(candidates.AsSpan(best * d, d));
            return new SampledConfiguration(config, new JsonObject { ["model_based_pick"] = true });
        }
        catch (ArgumentException)
        {
            return SampleFromPrior();
        }
    }

    /// <inheritdoc />
    public override void NewResult(Observation observation, bool updateModel = true)
    {
        if (observation.IsCrashed)
        {
            return;
        }

        var budget = observation.Budget;
        if (LargestBudgetWithModel > budget)
        {
            return;
        }

        if (!_observations.TryGetValue(budget, out var data))
        {
            data = new BudgetObservations();
            _observations[budget] = data;
        }

        var row = new List<double>(_columns.Count);
        _columns.AppendRow(observation.Config, row);
        var existing = data.Configs.FindIndex(r => r.SequenceEqual(row));
        if (existing >= 0)
        {
            data.Losses[existing].Add(observation.ModelLoss);
        }
        else
        {
            data.Configs.Add(row);
            data.Losses.Add([observation.ModelLoss]);
        }

        data.FitIsCurrent = false;
        if (updateModel)
        {
            Fit(budget, data, Random);
        }
    }

    /// <inheritdoc />
    public override void RefitAll()
    {
        foreach (var (budget, data) in _observations)
        {
            Fit(budget, data, Random);
        }
    }

    /// <inheritdoc />
    internal override string SnapshotKind => "h2bo";

    /// <summary>
    /// Writes, per budget, the distinct configurations (model rows) with their losses and, if the budget has a
    /// model, the random state its fit started from: the model is a function of the two.
    /// </summary>
    internal override void WriteSnapshot(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("budgets");
        foreach (var (budget, data) in _observations)
        {
            writer.WriteStartObject();
            SnapshotJson.WriteDouble(writer, "budget", budget);
            writer.WriteStartArray("configs");
            for (var i = 0; i < data.Configs.Count; i++)
            {
                writer.WriteStartObject();
                SnapshotJson.WriteDoubles(writer, "row", data.Configs[i]);
                SnapshotJson.WriteDoubles(writer, "losses", data.Losses[i]);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (_models.ContainsKey(budget))
            {
                SnapshotJson.WriteFitRandom(writer, budget, data.FitIsCurrent, data.FitState);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <inheritdoc />
    internal override void RestoreSnapshot(JsonElement state)
    {
        foreach (var item in SnapshotJson.Property(state, "budgets").EnumerateArray())
        {
            var budget = SnapshotJson.ReadDouble(item, "budget");
            var data = new BudgetObservations();
            foreach (var config in SnapshotJson.Property(item, "configs").EnumerateArray())
            {
                var row = SnapshotJson.ReadDoubles(SnapshotJson.Property(config, "row"));
                var losses = SnapshotJson.ReadDoubles(SnapshotJson.Property(config, "losses"));
                if (row.Count != _columns.Count || losses.Count == 0)
                {
                    throw SnapshotJson.Corrupt($"a configuration on budget {budget} has {row.Count} row values ({_columns.Count} expected) and {losses.Count} losses.");
                }

                data.Configs.Add(row);
                data.Losses.Add(losses);
            }

            if (!_observations.TryAdd(budget, data))
            {
                throw SnapshotJson.Corrupt($"budget {budget} appears twice in the model's observations.");
            }

            if (item.TryGetProperty("fitRandom", out var fit))
            {
                Fit(budget, data, new RandomSource(SnapshotJson.ReadRandomState(fit)));
                if (!_models.ContainsKey(budget))
                {
                    throw SnapshotJson.Corrupt($"the model on budget {budget} cannot be fitted from its {data.Configs.Count} configurations.");
                }
            }
        }
    }

    private void Fit(double budget, BudgetObservations data, RandomSource random)
    {
        var n = data.Configs.Count;
        if (n < _minPoints)
        {
            return;
        }

        var means = data.Losses.Select(l => l.Average()).ToArray();
        var nGood = Math.Min(n, Math.Max(3, (int)Math.Floor(_settings.TopNPercent * n / 100)));
        var rows = data.Configs.SelectMany(r => r).ToList();
        var before = random.GetState();
        var model = _columns.Fit(rows, LossOrder.Ascending(means), nGood, n - nGood, _settings.MinBandwidth, random);
        if (model is not null)
        {
            _models[budget] = model;
            data.FitState = before;
            data.FitIsCurrent = true;
        }
    }

    private sealed class BudgetObservations
    {
        public List<List<double>> Configs { get; } = [];

        public List<List<double>> Losses { get; } = [];

        /// <summary>Where the random stream stood when the budget's current model was fitted.</summary>
        public RandomState? FitState { get; set; }

        /// <summary>Whether the current model was fitted on every observation stored here.</summary>
        public bool FitIsCurrent { get; set; }
    }
}
