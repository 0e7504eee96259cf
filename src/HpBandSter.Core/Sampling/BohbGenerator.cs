using System.Text.Json;
using System.Text.Json.Nodes;
using HpBandSter.Scheduling;
using HpBandSter.Snapshots;
using HpBandSter.Spaces;

namespace HpBandSter.Sampling;

/// <summary>
/// BOHB's config generator (HpBandSter <c>config_generators/bohb.py</c>): a TPE-style pair of kernel density
/// estimates, "good" (top <c>top_n_percent</c> by loss) and "bad" (the next ones), fitted per budget on
/// ConfigSpace vectors; a proposal draws <c>num_samples</c> candidates around good points (continuous bandwidths
/// widened by <c>bandwidth_factor</c>) and keeps the one minimising g(x)/l(x).
/// </summary>
/// <remarks>
/// Reproduces HpBandSter's algorithm (reference §1.10): observations on a budget below the largest modelled one
/// are dropped; the model used is always the one on the largest budget; crashed runs count with loss +inf;
/// a proposal that cannot be made valid falls back to the prior. Defects fixed: constants are not model
/// dimensions and do not count in d; the categorical kernel uses the real number of choices; imputation also
/// fills column 0; ordinal hyperparameters are supported (as categorical dimensions, not an error); a normal
/// hyperparameter without bounds is proposed from an untruncated normal. Ties in loss keep observation order.
/// </remarks>
public sealed class BohbGenerator : ConfigGenerator
{
    private readonly BohbSettings _settings;
    private readonly ModelColumns _columns;
    private readonly int _minPoints;
    private readonly SortedDictionary<double, BudgetObservations> _observations = [];
    private readonly SortedDictionary<double, GoodBadModel> _models = [];
    private readonly double[] _candidates;
    private readonly double[] _goodPdf;
    private readonly double[] _badPdf;

    /// <summary>Creates the generator; <paramref name="settings"/> is validated.</summary>
    public BohbGenerator(ConfigurationSpace space, RandomSource random, BohbSettings? settings = null)
        : base(space, random)
    {
        _settings = settings ?? new BohbSettings();
        _settings.Validate();
        _columns = new ModelColumns(space);
        _minPoints = Math.Max(_columns.Count + 1, _settings.MinPointsInModel ?? 0);
        _candidates = new double[_settings.NumSamples * _columns.Count];
        _goodPdf = new double[_settings.NumSamples];
        _badPdf = new double[_settings.NumSamples];
    }

    /// <summary>The observations a budget needs before a model is fitted there: d + 1 (or the setting, if larger).</summary>
    public int MinPointsInModel => _minPoints;

    /// <summary>The model dimensions: the non-constant hyperparameters.</summary>
    public int Dimensions => _columns.Count;

    /// <summary>The budgets that currently have a fitted model.</summary>
    public IReadOnlyCollection<double> ModelBudgets => _models.Keys;

    /// <summary>The fitted models by budget (for tests that compare a restored generator with its original).</summary>
    internal IReadOnlyDictionary<double, GoodBadModel> Models => _models;

    /// <inheritdoc />
    public override double LargestBudgetWithModel => _models.Count == 0 ? double.NegativeInfinity : _models.Keys.Last();

    /// <inheritdoc />
    public override SampledConfiguration GetConfig(double budget)
    {
        // HpBandSter ignores the budget here: the model is always the one on the largest budget.
        if (_models.Count == 0 || Random.NextDouble() < _settings.RandomFraction)
        {
            return SampleFromPrior();
        }

        var best = Propose(_models[_models.Keys.Last()]);
        if (best < 0)
        {
            return SampleFromPrior();
        }

        try
        {
            var d = _columns.Count;
            var config = _columns.ToConfiguration(_candidates.AsSpan(best * d, d));
            return new SampledConfiguration(config, new JsonObject { ["model_based_pick"] = true });
        }
        catch (ArgumentException)
        {
            // Forbidden or undecodable proposal: HpBandSter falls back to a random configuration.
            return SampleFromPrior();
        }
    }

    /// <inheritdoc />
    public override void NewResult(Observation observation, bool updateModel = true)
    {
        var budget = observation.Budget;

        // Once a model exists on a larger budget, observations on smaller ones are not even stored (HpBandSter).
        if (LargestBudgetWithModel > budget)
        {
            return;
        }

        if (!_observations.TryGetValue(budget, out var data))
        {
            data = new BudgetObservations();
            _observations[budget] = data;
        }

        _columns.AppendRow(observation.Config, data.Rows);
        data.Losses.Add(observation.ModelLoss);
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
    internal override string SnapshotKind => "bohb";

    /// <summary>
    /// Writes, per budget, the stored observations (model rows and losses) and, if the budget has a model, the
    /// random state its fit started from: the model is a function of the two.
    /// </summary>
    internal override void WriteSnapshot(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("budgets");
        foreach (var (budget, data) in _observations)
        {
            writer.WriteStartObject();
            SnapshotJson.WriteDouble(writer, "budget", budget);
            SnapshotJson.WriteDoubles(writer, "losses", data.Losses);
            SnapshotJson.WriteDoubles(writer, "rows", data.Rows);
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
            SnapshotJson.ReadDoubles(SnapshotJson.Property(item, "losses"), data.Losses);
            SnapshotJson.ReadDoubles(SnapshotJson.Property(item, "rows"), data.Rows);
            if (data.Rows.Count != data.Losses.Count * _columns.Count)
            {
                throw SnapshotJson.Corrupt($"budget {budget} has {data.Losses.Count} losses but {data.Rows.Count} row values ({_columns.Count} per row expected).");
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
                    throw SnapshotJson.Corrupt($"the model on budget {budget} cannot be fitted from its {data.Losses.Count} observations.");
                }
            }
        }
    }

    private void Fit(double budget, BudgetObservations data, RandomSource random)
    {
        var n = data.Losses.Count;
        if (n < _minPoints)
        {
            return;
        }

        var topN = _settings.TopNPercent;
        var nGood = Math.Min(n, Math.Max(_minPoints, (int)Math.Floor(topN * n / 100)));
        var nBad = Math.Min(n - nGood, Math.Max(_minPoints, (int)Math.Floor((100 - topN) * n / 100)));
        var before = random.GetState();
        var model = _columns.Fit(data.Rows, LossOrder.Ascending(data.Losses), nGood, nBad, _settings.MinBandwidth, random);
        if (model is not null)
        {
            _models[budget] = model;
            data.FitState = before;
            data.FitIsCurrent = true;
        }
    }

    /// <summary>Draws the candidates into the buffer and returns the index of the chosen one (−1: none).</summary>
    private int Propose(GoodBadModel model)
    {
        var d = _columns.Count;
        var count = _settings.NumSamples;
        for (var s = 0; s < count; s++)
        {
            model.Good.SampleProposal(_settings.BandwidthFactor, Random, _candidates.AsSpan(s * d, d), _columns.Unbounded);
        }

        model.Good.PdfBatch(_candidates, count, _goodPdf);
        model.Bad.PdfBatch(_candidates, count, _badPdf);

        var bestIndex = -1;
        var bestValue = double.PositiveInfinity;
        for (var s = 0; s < count; s++)
        {
            var l = _goodPdf[s];
            var value = Math.Max(1e-32, _badPdf[s]) / Math.Max(l, 1e-32);
            if (!double.IsFinite(value) && double.IsFinite(l))
            {
                return s; // HpBandSter accepts such a candidate at once
            }

            if (value < bestValue)
            {
                bestValue = value;
                bestIndex = s;
            }
        }

        return bestIndex;
    }

    private sealed class BudgetObservations
    {
        public List<double> Rows { get; } = [];

        public List<double> Losses { get; } = [];

        /// <summary>Where the random stream stood when the budget's current model was fitted.</summary>
        public RandomState? FitState { get; set; }

        /// <summary>Whether the current model was fitted on every observation stored here.</summary>
        public bool FitIsCurrent { get; set; }
    }
}
