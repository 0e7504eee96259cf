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
    private readonly BudgetModels<BudgetObservations> _budgets;
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
        _budgets = new(() => new BudgetObservations(_columns, _settings, _minPoints));
        _candidates = new double[_settings.NumSamples * _columns.Count];
        _goodPdf = new double[_settings.NumSamples];
        _badPdf = new double[_settings.NumSamples];
    }

    /// <summary>The observations a budget needs before a model is fitted there: d + 1 (or the setting, if larger).</summary>
    public int MinPointsInModel => _minPoints;

    /// <summary>The model dimensions: the non-constant hyperparameters.</summary>
    public int Dimensions => _columns.Count;

    /// <summary>The budgets that currently have a fitted model.</summary>
    public IReadOnlyCollection<double> ModelBudgets => _budgets.ModelBudgets;

    /// <summary>The fitted models by budget (for tests that compare a restored generator with its original).</summary>
    internal IReadOnlyDictionary<double, GoodBadModel> Models => _budgets.Models;

    /// <inheritdoc />
    public override double LargestBudgetWithModel => _budgets.LargestBudgetWithModel;

    /// <inheritdoc />
    public override SampledConfiguration GetConfig(double budget)
    {
        // HpBandSter ignores the budget here: the model is always the one on the largest budget.
        if (_budgets.Models.Count == 0 || Random.NextDouble() < _settings.RandomFraction)
        {
            return SampleFromPrior();
        }

        var best = Propose(_budgets.Models[_budgets.LargestBudgetWithModel]);
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
    public override void NewResult(Observation observation, bool updateModel = true) =>
        _budgets.Add(observation, updateModel, Random);

    /// <inheritdoc />
    public override void RefitAll() => _budgets.RefitAll(Random);

    /// <inheritdoc />
    internal override string SnapshotKind => "bohb";

    /// <summary>
    /// Writes, per budget, the stored observations (model rows and losses) and, if the budget has a model, the
    /// random state its fit started from: the model is a function of the two.
    /// </summary>
    internal override void WriteSnapshot(Utf8JsonWriter writer) => _budgets.WriteSnapshot(writer);

    /// <inheritdoc />
    internal override void RestoreSnapshot(JsonElement state) => _budgets.RestoreSnapshot(state);

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

    /// <summary>BOHB's observations on one budget: every result, crashed ones included, as a model row and a loss.</summary>
    private sealed class BudgetObservations(ModelColumns columns, BohbSettings settings, int minPoints) : IBudgetObservations
    {
        private readonly List<double> _rows = [];
        private readonly List<double> _losses = [];

        public void Add(Observation observation)
        {
            columns.AppendRow(observation.Config, _rows);
            _losses.Add(observation.ModelLoss);
        }

        public GoodBadModel? Fit(RandomSource random)
        {
            var n = _losses.Count;
            if (n < minPoints)
            {
                return null;
            }

            var topN = settings.TopNPercent;
            var nGood = Math.Min(n, Math.Max(minPoints, (int)Math.Floor(topN * n / 100)));
            var nBad = Math.Min(n - nGood, Math.Max(minPoints, (int)Math.Floor((100 - topN) * n / 100)));
            return columns.Fit(_rows, LossOrder.Ascending(_losses), nGood, nBad, settings.MinBandwidth, random);
        }

        public void Write(Utf8JsonWriter writer)
        {
            SnapshotJson.WriteDoubles(writer, "losses", _losses);
            SnapshotJson.WriteDoubles(writer, "rows", _rows);
        }

        public void Read(JsonElement item, double budget)
        {
            SnapshotJson.ReadDoubles(SnapshotJson.Property(item, "losses"), _losses);
            SnapshotJson.ReadDoubles(SnapshotJson.Property(item, "rows"), _rows);
            if (_rows.Count != _losses.Count * columns.Count)
            {
                throw SnapshotJson.Corrupt($"budget {budget} has {_losses.Count} losses but {_rows.Count} row values ({columns.Count} per row expected).");
            }
        }

        public string Describe() => $"{_losses.Count} observations";
    }
}
