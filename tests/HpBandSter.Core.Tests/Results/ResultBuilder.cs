using System.Text.Json.Nodes;
using HpBandSter.Results;
using HpBandSter.Spaces;

namespace HpBandSter.Tests.Results;

/// <summary>Builds small results by hand: runs are (id, budget, loss, finished) with relative times.</summary>
internal sealed class ResultBuilder
{
    private readonly List<ConfigRecord> _configs = [];
    private readonly List<Run> _runs = [];

    public ResultBuilder Config(int iteration, int stage, int index, bool? modelBased = null)
    {
        var info = modelBased is { } flag ? new JsonObject { ["model_based_pick"] = flag } : new JsonObject();
        _configs.Add(new ConfigRecord(new ConfigId(iteration, stage, index), new Configuration([new("x", (double)_configs.Count)]), info));
        return this;
    }

    public ResultBuilder Run(int iteration, int stage, int index, double budget, double? loss, double finished, string? error = null)
    {
        _runs.Add(new Run(new ConfigId(iteration, stage, index), budget, loss, null, new RunTimestamps(finished - 1, finished - 0.5, finished), error));
        return this;
    }

    public OptimizationResult Build(double minBudget = 1, double maxBudget = 9, double timeRef = 0) =>
        new(_configs, _runs, new ResultSettings(minBudget, maxBudget, [1, 3, 9], 3, timeRef));
}
