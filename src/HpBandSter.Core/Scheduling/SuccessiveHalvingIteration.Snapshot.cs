using System.Text.Json;
using HpBandSter.Snapshots;

namespace HpBandSter.Scheduling;

/// <summary>Writing an iteration's whole state into an optimizer snapshot, and restoring it.</summary>
public sealed partial class SuccessiveHalvingIteration
{
    /// <summary>
    /// Writes the iteration: plan, stage, finished flag, runs outstanding, configurations per stage, the queue
    /// (in order) and every configuration with its status, budget and results.
    /// </summary>
    internal void WriteSnapshot(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("iteration", Iteration);
        writer.WriteStartArray("numConfigs");
        foreach (var n in Plan.NumConfigs)
        {
            writer.WriteNumberValue(n);
        }

        writer.WriteEndArray();
        SnapshotJson.WriteDoubles(writer, "budgets", Plan.Budgets);
        writer.WriteNumber("stage", CurrentStage);
        writer.WriteBoolean("finished", IsFinished);
        writer.WriteNumber("running", NumRunning);
        writer.WriteStartArray("actualNumConfigs");
        foreach (var n in _actualNumConfigs)
        {
            writer.WriteNumberValue(n);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("queued");
        foreach (var datum in _queued)
        {
            SnapshotJson.WriteConfigId(writer, datum.Id);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("data");
        foreach (var datum in _data.Values)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            SnapshotJson.WriteConfigId(writer, datum.Id);
            writer.WritePropertyName("config");
            SnapshotJson.WriteConfiguration(writer, datum.Config);
            writer.WritePropertyName("info");
            datum.Info.WriteTo(writer);
            writer.WriteString("status", datum.Status.ToString());
            SnapshotJson.WriteDouble(writer, "budget", datum.Budget);
            writer.WriteStartArray("results");
            foreach (var result in datum.Results)
            {
                writer.WriteStartObject();
                SnapshotJson.WriteDouble(writer, "budget", result.Budget);
                if (result.Loss is { } loss)
                {
                    SnapshotJson.WriteDouble(writer, "loss", loss);
                }

                if (result.Error is { } error)
                {
                    writer.WriteString("error", error);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Rebuilds an iteration written by <see cref="WriteSnapshot"/>, drawing new configurations from <paramref name="sampler"/>.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a consistent iteration <paramref name="expectedIteration"/>.</exception>
    internal static SuccessiveHalvingIteration RestoreSnapshot(JsonElement element, int expectedIteration, Func<double, SampledConfiguration> sampler)
    {
        var index = SnapshotJson.Property(element, "iteration").GetInt32();
        if (index != expectedIteration)
        {
            throw SnapshotJson.Corrupt($"iteration {expectedIteration} is numbered {index}.");
        }

        BracketPlan plan;
        try
        {
            plan = new BracketPlan(
                SnapshotJson.ReadInts(SnapshotJson.Property(element, "numConfigs")),
                SnapshotJson.ReadDoubles(SnapshotJson.Property(element, "budgets")));
        }
        catch (ArgumentException e)
        {
            throw SnapshotJson.Corrupt($"iteration {index} has an invalid plan ({e.Message})", e);
        }

        var iteration = new SuccessiveHalvingIteration(index, plan, sampler)
        {
            CurrentStage = SnapshotJson.Property(element, "stage").GetInt32(),
            IsFinished = SnapshotJson.Property(element, "finished").GetBoolean(),
            NumRunning = SnapshotJson.Property(element, "running").GetInt32(),
        };
        var stageLimit = iteration.IsFinished ? plan.StageCount : plan.StageCount - 1;
        if (iteration.CurrentStage < 0 || iteration.CurrentStage > stageLimit || (iteration.IsFinished && iteration.CurrentStage != plan.StageCount))
        {
            throw SnapshotJson.Corrupt($"iteration {index} is at stage {iteration.CurrentStage} of {plan.StageCount} (finished: {iteration.IsFinished}).");
        }

        var actual = SnapshotJson.ReadInts(SnapshotJson.Property(element, "actualNumConfigs"));
        if (actual.Length != plan.StageCount)
        {
            throw SnapshotJson.Corrupt($"iteration {index} counts configurations for {actual.Length} stages, its plan has {plan.StageCount}.");
        }

        actual.CopyTo(iteration._actualNumConfigs);
        var running = 0;
        foreach (var item in SnapshotJson.Property(element, "data").EnumerateArray())
        {
            var id = SnapshotJson.ReadConfigId(SnapshotJson.Property(item, "id"));
            if (id.Iteration != index)
            {
                throw SnapshotJson.Corrupt($"configuration {id} is listed in iteration {index}.");
            }

            var info = SnapshotJson.ReadInfo(SnapshotJson.Property(item, "info"));
            var config = SnapshotJson.ReadConfiguration(SnapshotJson.Property(item, "config"));
            var datum = new Datum(id, config, info, SnapshotJson.ReadDouble(item, "budget"));
            var statusText = SnapshotJson.Property(item, "status").GetString();
            if (!Enum.TryParse<ConfigStatus>(statusText, ignoreCase: false, out var status) || !Enum.IsDefined(status) || int.TryParse(statusText, out _))
            {
                throw SnapshotJson.Corrupt($"configuration {id} has the unknown status '{statusText}'.");
            }

            datum.Status = status;
            running += status == ConfigStatus.Running ? 1 : 0;
            foreach (var r in SnapshotJson.Property(item, "results").EnumerateArray())
            {
                var loss = r.TryGetProperty("loss", out var l) ? SnapshotJson.ReadDouble(l) : (double?)null;
                var error = r.TryGetProperty("error", out var e) ? e.GetString() : null;
                datum.AddResult(new BudgetResult(SnapshotJson.ReadDouble(r, "budget"), loss, error));
            }

            if (!iteration._data.TryAdd(id, datum))
            {
                throw SnapshotJson.Corrupt($"configuration {id} appears twice in iteration {index}.");
            }
        }

        if (running != iteration.NumRunning)
        {
            throw SnapshotJson.Corrupt($"iteration {index} says {iteration.NumRunning} runs are outstanding but {running} configurations are running.");
        }

        foreach (var item in SnapshotJson.Property(element, "queued").EnumerateArray())
        {
            var id = SnapshotJson.ReadConfigId(item);
            if (!iteration._data.TryGetValue(id, out var datum) || datum.Status != ConfigStatus.Queued)
            {
                throw SnapshotJson.Corrupt($"iteration {index} queues {id}, which is not one of its queued configurations.");
            }

            iteration._queued.Enqueue(datum);
        }

        if (iteration._queued.Count != iteration._data.Values.Count(d => d.Status == ConfigStatus.Queued))
        {
            throw SnapshotJson.Corrupt($"iteration {index} queues {iteration._queued.Count} configurations, but another number are queued.");
        }

        return iteration;
    }
}
