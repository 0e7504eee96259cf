namespace HpBandSter.Objectives;

/// <summary>The built-in benchmark objectives by name.</summary>
public static class BenchmarkObjectives
{
    private static readonly Lazy<IReadOnlyList<BenchmarkObjective>> LazyAll = new(() =>
        [new ToyObjective(), new BraninObjective(), new Hartmann6Objective(), new CountingOnesObjective()]);

    /// <summary>toy, branin, hartmann6 and countingones, in that order.</summary>
    public static IReadOnlyList<BenchmarkObjective> All => LazyAll.Value;

    /// <summary>The objective with that name.</summary>
    /// <exception cref="ArgumentException">No built-in objective has that name; the message lists the ones that exist.</exception>
    public static BenchmarkObjective Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"There is no built-in objective '{name}'. Built-in objectives: {string.Join(", ", All.Select(o => o.Name))}.",
                nameof(name));
    }
}
