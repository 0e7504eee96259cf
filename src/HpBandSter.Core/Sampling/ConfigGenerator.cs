using HpBandSter.Scheduling;
using HpBandSter.Spaces;

namespace HpBandSter.Sampling;

/// <summary>
/// Proposes configurations and learns from results (HpBandSter's <c>base_config_generator</c>).
/// </summary>
/// <remarks>
/// A generator's whole state is the sequence of <see cref="NewResult"/> calls it received plus the position of
/// the <see cref="RandomSource"/> it was given: replaying the same calls from the same seed rebuilds it exactly.
/// Fitted models are caches of that state, never persisted: a snapshot holds the observations and, per model,
/// where the random stream stood when it was fitted, and the model is fitted again from them on restore.
/// </remarks>
public abstract class ConfigGenerator
{
    /// <summary>Creates a generator over <paramref name="space"/> drawing from <paramref name="random"/>.</summary>
    protected ConfigGenerator(ConfigurationSpace space, RandomSource random)
    {
        Space = space ?? throw new ArgumentNullException(nameof(space));
        Random = random ?? throw new ArgumentNullException(nameof(random));
    }

    /// <summary>The search space proposals come from.</summary>
    public ConfigurationSpace Space { get; }

    /// <summary>The injected random source (shared with the optimizer that owns this generator).</summary>
    protected RandomSource Random { get; }

    /// <summary>The largest budget that has a fitted model, or −∞ when there is none (H2BO's schedule reads this).</summary>
    public virtual double LargestBudgetWithModel => double.NegativeInfinity;

    /// <summary>Proposes the next configuration to evaluate on <paramref name="budget"/>, with its config_info.</summary>
    public abstract SampledConfiguration GetConfig(double budget);

    /// <summary>Records a finished evaluation; with <paramref name="updateModel"/> the model may be refitted.</summary>
    public abstract void NewResult(Observation observation, bool updateModel = true);

    /// <summary>Refits every model from the observations recorded so far (used after a warm start).</summary>
    public virtual void RefitAll()
    {
    }

    /// <summary>The generator's kind as a snapshot names it (checked on restore).</summary>
    internal virtual string SnapshotKind => "random";

    /// <summary>Writes the properties of the generator's state into the open snapshot object (nothing by default).</summary>
    internal virtual void WriteSnapshot(System.Text.Json.Utf8JsonWriter writer)
    {
    }

    /// <summary>Restores the state written by <see cref="WriteSnapshot"/> into a fresh generator.</summary>
    /// <exception cref="InvalidDataException">The state is corrupt.</exception>
    internal virtual void RestoreSnapshot(System.Text.Json.JsonElement state)
    {
    }

    /// <summary>A configuration drawn from the prior, marked as not model-based.</summary>
    protected SampledConfiguration SampleFromPrior() =>
        new(Space.Sample(Random), new System.Text.Json.Nodes.JsonObject { ["model_based_pick"] = false });
}
