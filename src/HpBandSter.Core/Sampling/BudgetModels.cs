using System.Text.Json;
using HpBandSter.Scheduling;
using HpBandSter.Snapshots;

namespace HpBandSter.Sampling;

/// <summary>
/// The per-budget state BOHB and H2BO share: the observations stored on each budget, the good/bad model fitted
/// there, and where the random stream stood when that model was fitted. This type owns the bookkeeping (which
/// observations are stored, when a fit replaces a model, the refit loop, the snapshot's <c>budgets</c> array);
/// <typeparamref name="T"/> owns what is stored on one budget and how a model is fitted from it.
/// </summary>
/// <remarks>
/// A model is a function of its budget's observations and the random state its fit started from, so a snapshot
/// holds those two and a restore fits the model again (see <see cref="ConfigGenerator"/>).
/// </remarks>
internal sealed class BudgetModels<T>(Func<T> create)
    where T : IBudgetObservations
{
    private readonly SortedDictionary<double, Entry> _observations = [];
    private readonly SortedDictionary<double, GoodBadModel> _models = [];

    /// <summary>The fitted models by budget.</summary>
    public IReadOnlyDictionary<double, GoodBadModel> Models => _models;

    /// <summary>The budgets that currently have a fitted model, in increasing order.</summary>
    public IReadOnlyCollection<double> ModelBudgets => _models.Keys;

    /// <summary>The largest budget that has a fitted model, or −∞ when there is none.</summary>
    public double LargestBudgetWithModel => _models.Count == 0 ? double.NegativeInfinity : _models.Keys.Last();

    /// <summary>Stores an observation and, with <paramref name="updateModel"/>, refits its budget's model.</summary>
    public void Add(Observation observation, bool updateModel, RandomSource random)
    {
        var budget = observation.Budget;

        // Once a model exists on a larger budget, observations on smaller ones are not even stored (HpBandSter).
        if (LargestBudgetWithModel > budget)
        {
            return;
        }

        if (!_observations.TryGetValue(budget, out var entry))
        {
            entry = new Entry(create());
            _observations[budget] = entry;
        }

        entry.Data.Add(observation);
        entry.FitIsCurrent = false;
        if (updateModel)
        {
            Fit(budget, entry, random);
        }
    }

    /// <summary>Refits every budget's model, in increasing budget order.</summary>
    public void RefitAll(RandomSource random)
    {
        foreach (var (budget, entry) in _observations)
        {
            Fit(budget, entry, random);
        }
    }

    /// <summary>
    /// Writes, per budget, the stored observations and, if the budget has a model, the random state its fit
    /// started from.
    /// </summary>
    public void WriteSnapshot(Utf8JsonWriter writer)
    {
        writer.WriteStartArray("budgets");
        foreach (var (budget, entry) in _observations)
        {
            writer.WriteStartObject();
            SnapshotJson.WriteDouble(writer, "budget", budget);
            entry.Data.Write(writer);
            if (_models.ContainsKey(budget))
            {
                SnapshotJson.WriteFitRandom(writer, budget, entry.FitIsCurrent, entry.FitState);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Restores what <see cref="WriteSnapshot"/> wrote, fitting each model again from its random state.</summary>
    /// <exception cref="InvalidDataException">The state is corrupt.</exception>
    public void RestoreSnapshot(JsonElement state)
    {
        foreach (var item in SnapshotJson.Property(state, "budgets").EnumerateArray())
        {
            var budget = SnapshotJson.ReadDouble(item, "budget");
            var entry = new Entry(create());
            entry.Data.Read(item, budget);
            if (!_observations.TryAdd(budget, entry))
            {
                throw SnapshotJson.Corrupt($"budget {budget} appears twice in the model's observations.");
            }

            if (item.TryGetProperty("fitRandom", out var fit))
            {
                Fit(budget, entry, new RandomSource(SnapshotJson.ReadRandomState(fit)));
                if (!_models.ContainsKey(budget))
                {
                    throw SnapshotJson.Corrupt($"the model on budget {budget} cannot be fitted from its {entry.Data.Describe()}.");
                }
            }
        }
    }

    private void Fit(double budget, Entry entry, RandomSource random)
    {
        var before = random.GetState();
        if (entry.Data.Fit(random) is { } model)
        {
            _models[budget] = model;
            entry.FitState = before;
            entry.FitIsCurrent = true;
        }
    }

    private sealed class Entry(T data)
    {
        public T Data { get; } = data;

        /// <summary>Where the random stream stood when the budget's current model was fitted.</summary>
        public RandomState? FitState { get; set; }

        /// <summary>Whether the current model was fitted on every observation stored here.</summary>
        public bool FitIsCurrent { get; set; }
    }
}
