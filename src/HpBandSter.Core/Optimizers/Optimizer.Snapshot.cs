using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HpBandSter.Scheduling;
using HpBandSter.Snapshots;
using HpBandSter.Spaces;

namespace HpBandSter.Optimizers;

/// <summary>Snapshots: the optimizer's whole state as JSON text, and an optimizer restored from it.</summary>
public sealed partial class Optimizer
{
    private string? _spaceFingerprint;

    /// <summary>The snapshot format <see cref="TakeSnapshot"/> writes and <see cref="FromSnapshot"/> reads (the <c>"format"</c> number).</summary>
    public static int SnapshotFormat => 1;

    /// <summary>
    /// The optimizer's whole state as JSON text: restored with <see cref="FromSnapshot"/>, it makes exactly the Asks
    /// this optimizer would make after the same Tells (and its own snapshot is the same text).
    /// </summary>
    /// <remarks>
    /// <para>Holds the snapshot format, what the optimizer was created with (kind, seed, settings, a fingerprint of
    /// the search space), the random source's position, the planned iterations (including
    /// <see cref="ExtendIterations"/>), every iteration (plan, stage, queue, every configuration with its config
    /// info, status and results), the pending jobs, and the config generator's observations per budget
    /// (warm-start ones included). A fitted model is not stored: the snapshot records where the random stream
    /// stood when it was fitted, and <see cref="FromSnapshot"/> fits it again from the same observations and
    /// stream position, which gives the identical model.</para>
    /// <para>Doubles round-trip bit for bit; configuration values keep their types. The text grows with the number
    /// of results (every configuration of every iteration is in it).</para>
    /// </remarks>
    public string TakeSnapshot()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("format", SnapshotFormat);
            w.WriteString("kind", Settings.Kind.ToString());
            w.WriteNumber("seed", Seed);
            w.WriteStartObject("settings");
            WriteSettings(w, Settings);
            w.WriteEndObject();
            w.WriteStartObject("space");
            w.WriteString("fingerprint", SpaceFingerprint());
            w.WriteStartArray("hyperparameters");
            foreach (var hp in Space.Hyperparameters)
            {
                w.WriteStringValue(hp.Name);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            SnapshotJson.WriteRandomState(w, "random", _random.GetState());
            w.WriteNumber("plannedIterations", _plannedIterations);
            w.WriteStartArray("iterations");
            foreach (var iteration in _iterations)
            {
                iteration.WriteSnapshot(w);
            }

            w.WriteEndArray();
            // Sorted, so that the text does not depend on the dictionary's internal order (which depends on the
            // history of removals), only on which jobs are pending.
            w.WriteStartArray("pending");
            foreach (var key in _pending.Keys.Order(PendingOrder.Instance))
            {
                w.WriteStartObject();
                w.WritePropertyName("id");
                SnapshotJson.WriteConfigId(w, key.Id);
                SnapshotJson.WriteDouble(w, "budget", key.Budget);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("generator");
            w.WriteString("kind", _generator.SnapshotKind);
            _generator.WriteSnapshot(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Restores an optimizer from a <see cref="TakeSnapshot"/> text. The settings, space and seed must be the ones the
    /// snapshotted optimizer was created with (<paramref name="settings"/> with its original
    /// <see cref="OptimizerSettings.Iterations"/>: iterations added by <see cref="ExtendIterations"/> come from the
    /// snapshot); warm-start observations come from the snapshot too.
    /// </summary>
    /// <remarks>Costs one model fit per budget with a model, plus reading the text (linear in its size).</remarks>
    /// <exception cref="ArgumentException">The settings are invalid (as for the constructor).</exception>
    /// <exception cref="InvalidDataException">The snapshot is corrupt, is of another format, or was taken of an
    /// optimizer with other settings, another space or another seed; the message says which. Rebuilding the optimizer
    /// by replaying its asks and tells still works in every case.</exception>
    public static Optimizer FromSnapshot(OptimizerSettings settings, ConfigurationSpace space, long seed, string snapshot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(snapshot);
        var optimizer = new Optimizer(settings, space, seed);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(snapshot);
        }
        catch (JsonException e)
        {
            throw SnapshotJson.Corrupt($"it is not JSON ({e.Message})", e);
        }

        using (document)
        {
            try
            {
                optimizer.Restore(document.RootElement);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException
                                          or KeyNotFoundException or IndexOutOfRangeException or OverflowException)
            {
                throw SnapshotJson.Corrupt(e.Message, e);
            }
        }

        return optimizer;
    }

    /// <summary>
    /// The job <see cref="Ask"/> handed out under <paramref name="key"/>, as it handed it out (configuration, config
    /// info, whether new), read from the iterations; so that a restored optimizer can rebuild what a record of its
    /// earlier asks needs without replaying them.
    /// </summary>
    /// <exception cref="ArgumentException">No job with that key was handed out.</exception>
    public Job HandedOutJob(JobKey key)
    {
        var id = key.Id;
        if (id.Iteration < 0 || id.Iteration >= _iterations.Count || !_iterations[id.Iteration].Data.TryGetValue(id, out var datum))
        {
            throw new ArgumentException($"No job {key} was handed out: configuration {id} does not exist.", nameof(key));
        }

        var plan = _iterations[id.Iteration].Plan;
        var ran = datum.ResultAt(key.Budget) is not null || (datum.Status == ConfigStatus.Running && datum.Budget.Equals(key.Budget));
        if (!ran || id.Stage >= plan.StageCount)
        {
            throw new ArgumentException($"No job {key} was handed out: configuration {id} did not run on that budget.", nameof(key));
        }

        // A configuration is sampled at the budget of the stage in its id; every later run is a promotion.
        var isNew = plan.Budgets[id.Stage].Equals(key.Budget);
        return new Job(id, datum.Config, key.Budget, isNew, isNew ? datum.Info : []);
    }

    private void Restore(JsonElement root)
    {
        SnapshotJson.ExpectKind(root, JsonValueKind.Object);
        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Number)
        {
            throw SnapshotJson.Corrupt("it has no \"format\" number.");
        }

        if (!format.TryGetInt32(out var version) || version != SnapshotFormat)
        {
            throw new InvalidDataException(
                $"The optimizer snapshot has format {format.GetRawText()}; this version reads format {SnapshotFormat} only. Rebuild the optimizer by replaying its asks and tells.");
        }

        CheckMatches(root);

        _plannedIterations = SnapshotJson.Property(root, "plannedIterations").GetInt32();
        if (_plannedIterations < Settings.Iterations)
        {
            throw SnapshotJson.Corrupt($"it plans {_plannedIterations} iterations, fewer than the {Settings.Iterations} of its settings.");
        }

        var generator = SnapshotJson.Property(root, "generator");
        var generatorKind = SnapshotJson.Property(generator, "kind").GetString();
        if (generatorKind != _generator.SnapshotKind)
        {
            throw SnapshotJson.Corrupt($"its config generator is '{generatorKind}', a {Settings.Kind} optimizer has '{_generator.SnapshotKind}'.");
        }

        _generator.RestoreSnapshot(generator);

        foreach (var item in SnapshotJson.Property(root, "iterations").EnumerateArray())
        {
            _iterations.Add(SuccessiveHalvingIteration.RestoreSnapshot(item, _iterations.Count, Sample));
        }

        if (_iterations.Count > _plannedIterations)
        {
            throw SnapshotJson.Corrupt($"it has {_iterations.Count} iterations open but plans only {_plannedIterations}.");
        }

        // Only a shortcut past finished iterations (which stay finished): recomputed, not stored, so that reading
        // IsFinished (which advances it) does not change the snapshot text.
        SkipFinishedIterations();

        foreach (var item in SnapshotJson.Property(root, "pending").EnumerateArray())
        {
            var key = new JobKey(SnapshotJson.ReadConfigId(SnapshotJson.Property(item, "id")), SnapshotJson.ReadDouble(item, "budget"));
            var iteration = key.Id.Iteration >= 0 && key.Id.Iteration < _iterations.Count ? _iterations[key.Id.Iteration] : null;
            if (iteration is null || !iteration.Data.TryGetValue(key.Id, out var datum) || datum.Status != ConfigStatus.Running || !datum.Budget.Equals(key.Budget))
            {
                throw SnapshotJson.Corrupt($"pending job {key} is not a running configuration.");
            }

            if (!_pending.TryAdd(key, datum.Config))
            {
                throw SnapshotJson.Corrupt($"job {key} is pending twice.");
            }
        }

        var running = _iterations.Sum(i => i.NumRunning);
        if (running != _pending.Count)
        {
            throw SnapshotJson.Corrupt($"{running} runs are outstanding in its iterations but {_pending.Count} jobs are pending.");
        }

        _random.SetState(SnapshotJson.ReadRandomState(SnapshotJson.Property(root, "random")));
    }

    /// <summary>Throws an <see cref="InvalidDataException"/> listing how the snapshot's origin differs from this optimizer's.</summary>
    private void CheckMatches(JsonElement root)
    {
        var differences = new List<string>();
        var kind = SnapshotJson.Property(root, "kind").GetString();
        if (kind != Settings.Kind.ToString())
        {
            differences.Add($"optimizer {kind}, not {Settings.Kind}");
        }

        var seed = SnapshotJson.Property(root, "seed").GetInt64();
        if (seed != Seed)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"seed {seed}, not {Seed}"));
        }

        // The settings are compared in their written form, so every field and every bit of every number counts.
        var expected = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(expected))
        {
            w.WriteStartObject();
            WriteSettings(w, Settings);
            w.WriteEndObject();
        }

        using var expectedSettings = JsonDocument.Parse(expected.WrittenMemory);
        var actualSettings = SnapshotJson.Property(root, "settings");
        SnapshotJson.ExpectKind(actualSettings, JsonValueKind.Object);
        foreach (var property in expectedSettings.RootElement.EnumerateObject())
        {
            var theirs = actualSettings.TryGetProperty(property.Name, out var value) ? value.GetRawText() : "(missing)";
            if (theirs != property.Value.GetRawText())
            {
                differences.Add($"{property.Name} {theirs}, not {property.Value.GetRawText()}");
            }
        }

        var space = SnapshotJson.Property(root, "space");
        if (SnapshotJson.Property(space, "fingerprint").GetString() != SpaceFingerprint())
        {
            var names = SnapshotJson.Property(space, "hyperparameters").EnumerateArray().Select(e => e.GetString()).ToList();
            var ours = Space.Hyperparameters.Select(h => h.Name).ToList();
            differences.Add(names.SequenceEqual(ours)
                ? "another search space (same hyperparameter names, other ranges, conditions or forbiddens)"
                : $"another search space (hyperparameters {string.Join(", ", names)}; here {string.Join(", ", ours)})");
        }

        if (differences.Count > 0)
        {
            throw new InvalidDataException(
                $"The optimizer snapshot belongs to another optimizer: it was taken with {string.Join("; ", differences)}.");
        }
    }

    private static void WriteSettings(Utf8JsonWriter w, OptimizerSettings settings)
    {
        SnapshotJson.WriteDouble(w, "minBudget", settings.MinBudget);
        SnapshotJson.WriteDouble(w, "maxBudget", settings.MaxBudget);
        SnapshotJson.WriteDouble(w, "eta", settings.Eta);
        w.WriteString("sizing", settings.Sizing.ToString());
        w.WriteNumber("iterations", settings.Iterations);
        var model = settings.EffectiveModel;
        if (model.MinPointsInModel is { } minPoints)
        {
            w.WriteNumber("minPointsInModel", minPoints);
        }
        else
        {
            w.WriteNull("minPointsInModel");
        }

        SnapshotJson.WriteDouble(w, "topNPercent", model.TopNPercent);
        w.WriteNumber("numSamples", model.NumSamples);
        SnapshotJson.WriteDouble(w, "randomFraction", model.RandomFraction);
        SnapshotJson.WriteDouble(w, "bandwidthFactor", model.BandwidthFactor);
        SnapshotJson.WriteDouble(w, "minBandwidth", model.MinBandwidth);
    }

    /// <summary>Pending jobs by config id, then budget.</summary>
    private sealed class PendingOrder : IComparer<JobKey>
    {
        public static readonly PendingOrder Instance = new();

        public int Compare(JobKey x, JobKey y)
        {
            var c = x.Id.CompareTo(y.Id);
            return c != 0 ? c : x.Budget.CompareTo(y.Budget);
        }
    }

    /// <summary>SHA-256 of the space's compact ConfigSpace JSON.</summary>
    private string SpaceFingerprint() =>
        _spaceFingerprint ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ConfigSpaceJson.Write(Space, indented: false))));
}
