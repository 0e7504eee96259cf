using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Scheduling;

/// <summary>
/// One configuration of an iteration, with its status and its result per budget (HpBandSter's <c>Datum</c>).
/// Read-only outside <see cref="SuccessiveHalvingIteration"/>, which updates it.
/// </summary>
public sealed class Datum
{
    private readonly List<BudgetResult> _results = [];

    internal Datum(ConfigId id, Configuration config, JsonObject info, double budget)
    {
        Id = id;
        Config = config;
        Info = info;
        Budget = budget;
        Status = ConfigStatus.Queued;
        Results = _results.AsReadOnly();
    }

    /// <summary>The configuration's id.</summary>
    public ConfigId Id { get; }

    /// <summary>The configuration.</summary>
    public Configuration Config { get; }

    /// <summary>How it was sampled (HpBandSter's <c>config_info</c>).</summary>
    public JsonObject Info { get; }

    /// <summary>Current status.</summary>
    public ConfigStatus Status { get; internal set; }

    /// <summary>The budget it is queued or running at, or last ran at.</summary>
    public double Budget { get; internal set; }

    /// <summary>Results in the order they arrived (ascending budgets), one per budget.</summary>
    public IReadOnlyList<BudgetResult> Results { get; }

    /// <summary>The result at a budget, or null if it has not run there.</summary>
    public BudgetResult? ResultAt(double budget) => _results.Find(r => r.Budget.Equals(budget));

    internal void AddResult(BudgetResult result) => _results.Add(result);

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Status} at {Budget}: {Config}";
}
