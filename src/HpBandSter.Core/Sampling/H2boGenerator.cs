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
    private readonly BudgetModels<BudgetObservations> _budgets;

    /// <summary>Creates the generator; <paramref name="settings"/> is validated.</summary>
    public H2boGenerator(ConfigurationSpace space, RandomSource random, BohbSettings? settings = null)
        : base(space, random)
    {
        _settings = settings ?? new BohbSettings(NumSamples: 32, BandwidthFactor: 1);
        _settings.Validate();
        _columns = new ModelColumns(space);
        var minPoints = Math.Max(_columns.Count + 1, _settings.MinPointsInModel ?? 0);
        _budgets = new(() => new BudgetObservations(_columns, _settings, minPoints));
    }

    /// <summary>The fitted models by budget (for tests that compare a restored generator with its original).</summary>
    internal IReadOnlyDictionary<double, GoodBadModel> Models => _budgets.Models;

    /// <inheritdoc />
    public override double LargestBudgetWithModel => _budgets.LargestBudgetWithModel;

    /// <inheritdoc />
    public override SampledConfiguration GetConfig(double budget)
    {
        if (_budgets.Models.Count == 0 || Random.NextDouble() < _settings.RandomFraction || !_budgets.Models.TryGetValue(budget, out var model))
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

        _budgets.Add(observation, updateModel, Random);
    }

    /// <inheritdoc />
    public override void RefitAll() => _budgets.RefitAll(Random);

    /// <inheritdoc />
    internal override string SnapshotKind => "h2bo";

    /// <summary>
    /// Writes, per budget, the distinct configurations (model rows) with their losses and, if the budget has a
    /// model, the random state its fit started from: the model is a function of the two.
    /// </summary>
    internal override void WriteSnapshot(Utf8JsonWriter writer) => _budgets.WriteSnapshot(writer);

    /// <inheritdoc />
    internal override void RestoreSnapshot(JsonElement state) => _budgets.RestoreSnapshot(state);

    /// <summary>
    /// H2BO's observations on one budget: each distinct configuration (model row) with the losses it got; its
    /// loss is their mean.
    /// </summary>
    private sealed class BudgetObservations(ModelColumns columns, BohbSettings settings, int minPoints) : IBudgetObservations
    {
        private readonly List<List<double>> _configs = [];
        private readonly List<List<double>> _losses = [];

        public void Add(Observation observation)
        {
            var row = new List<double>(columns.Count);
            columns.AppendRow(observation.Config, row);
            var existing = _configs.FindIndex(r => r.SequenceEqual(row));
            if (existing >= 0)
            {
                _losses[existing].Add(observation.ModelLoss);
            }
            else
            {
                _configs.Add(row);
                _losses.Add([observation.ModelLoss]);
            }
        }

        public GoodBadModel? Fit(RandomSource random)
        {
            var n = _configs.Count;
            if (n < minPoints)
            {
                return null;
            }

            var means = _losses.Select(l => l.Average()).ToArray();
            var nGood = Math.Min(n, Math.Max(3, (int)Math.Floor(settings.TopNPercent * n / 100)));
            var rows = _configs.SelectMany(r => r).ToList();
            return columns.Fit(rows, LossOrder.Ascending(means), nGood, n - nGood, settings.MinBandwidth, random);
        }

        public void Write(Utf8JsonWriter writer)
        {
            writer.WriteStartArray("configs");
            for (var i = 0; i < _configs.Count; i++)
            {
                writer.WriteStartObject();
                SnapshotJson.WriteDoubles(writer, "row", _configs[i]);
                SnapshotJson.WriteDoubles(writer, "losses", _losses[i]);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        public void Read(JsonElement item, double budget)
        {
            foreach (var config in SnapshotJson.Property(item, "configs").EnumerateArray())
            {
                var row = SnapshotJson.ReadDoubles(SnapshotJson.Property(config, "row"));
                var losses = SnapshotJson.ReadDoubles(SnapshotJson.Property(config, "losses"));
                if (row.Count != columns.Count || losses.Count == 0)
                {
                    throw SnapshotJson.Corrupt($"a configuration on budget {budget} has {row.Count} row values ({columns.Count} expected) and {losses.Count} losses.");
                }

                _configs.Add(row);
                _losses.Add(losses);
            }
        }

        public string Describe() => $"{_configs.Count} configurations";
    }
}
