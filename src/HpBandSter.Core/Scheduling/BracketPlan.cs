using System.Globalization;

namespace HpBandSter.Scheduling;

/// <summary>
/// One successive-halving bracket: how many configurations run at each stage, and at which budget.
/// </summary>
/// <remarks>Two plans are equal when their numbers and budgets are equal element by element.</remarks>
public sealed record BracketPlan
{
    /// <summary>Creates a plan.</summary>
    /// <param name="numConfigs">Configurations per stage (each at least 1).</param>
    /// <param name="budgets">Budget per stage (positive, finite), as many as <paramref name="numConfigs"/>.</param>
    /// <exception cref="ArgumentException">The lists are empty, differ in length, or hold invalid entries.</exception>
    public BracketPlan(IReadOnlyList<int> numConfigs, IReadOnlyList<double> budgets)
    {
        ArgumentNullException.ThrowIfNull(numConfigs);
        ArgumentNullException.ThrowIfNull(budgets);
        if (numConfigs.Count == 0)
        {
            throw new ArgumentException("A bracket needs at least one stage; numConfigs is empty.", nameof(numConfigs));
        }

        if (numConfigs.Count != budgets.Count)
        {
            throw new ArgumentException(
                $"A bracket needs one budget per stage; got {numConfigs.Count} stage sizes and {budgets.Count} budgets.",
                nameof(budgets));
        }

        for (var i = 0; i < numConfigs.Count; i++)
        {
            if (numConfigs[i] < 1)
            {
                throw new ArgumentException($"Stage {i} of the bracket has {numConfigs[i]} configurations; every stage needs at least 1.", nameof(numConfigs));
            }

            if (!double.IsFinite(budgets[i]) || budgets[i] <= 0)
            {
                throw new ArgumentException($"Stage {i} of the bracket has budget {budgets[i]}; budgets must be positive, finite numbers.", nameof(budgets));
            }
        }

        NumConfigs = Array.AsReadOnly(numConfigs.ToArray());
        Budgets = Array.AsReadOnly(budgets.ToArray());
    }

    /// <summary>Configurations per stage (HpBandSter's <c>num_configs</c>).</summary>
    public IReadOnlyList<int> NumConfigs { get; }

    /// <summary>Budget per stage (HpBandSter's iteration <c>budgets</c>), ascending.</summary>
    public IReadOnlyList<double> Budgets { get; }

    /// <summary>Number of stages.</summary>
    public int StageCount => NumConfigs.Count;

    /// <summary>Σ configurations × budget over the stages, summed in stage order.</summary>
    public double TotalBudget
    {
        get
        {
            var total = 0.0;
            for (var i = 0; i < NumConfigs.Count; i++)
            {
                total += NumConfigs[i] * Budgets[i];
            }

            return total;
        }
    }

    /// <inheritdoc />
    public bool Equals(BracketPlan? other) =>
        other is not null && NumConfigs.SequenceEqual(other.NumConfigs) && Budgets.SequenceEqual(other.Budgets);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var n in NumConfigs)
        {
            hash.Add(n);
        }

        foreach (var b in Budgets)
        {
            hash.Add(b);
        }

        return hash.ToHashCode();
    }

    /// <summary>Shows the plan as <c>[27, 9, 3, 1] at [9, 27, 81, 243]</c>.</summary>
    public override string ToString() =>
        $"[{string.Join(", ", NumConfigs)}] at [{string.Join(", ", Budgets.Select(b => b.ToString("R", CultureInfo.InvariantCulture)))}]";
}
