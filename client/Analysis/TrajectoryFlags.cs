using System.Globalization;

namespace HpBandSter.Client.Analysis;

/// <summary>
/// The flags of HpBandSter's <c>get_incumbent_trajectory(all_budgets, bigger_is_better, non_decreasing_budget)</c>,
/// parsed from <c>--trajectory-flags</c>.
/// </summary>
/// <param name="AllBudgets">Runs on every budget may become the incumbent (else only runs on the max budget).</param>
/// <param name="BiggerIsBetter">A run on a larger budget always replaces the incumbent.</param>
/// <param name="NonDecreasingBudget">A run on a smaller budget than the incumbent's never replaces it.</param>
internal sealed record TrajectoryFlags(bool AllBudgets, bool BiggerIsBetter, bool NonDecreasingBudget)
{
    public const string AllBudgetsKey = "all_budgets";
    public const string BiggerIsBetterKey = "bigger_is_better";
    public const string NonDecreasingBudgetKey = "non_decreasing_budget";

    private static readonly string[] Keys = [AllBudgetsKey, BiggerIsBetterKey, NonDecreasingBudgetKey];

    /// <summary>HpBandSter's defaults: all three true.</summary>
    public static TrajectoryFlags Default { get; } = new(true, true, true);

    /// <summary>
    /// Parses <c>all_budgets=false,bigger_is_better=true</c> (any subset of the keys, in any order; the others keep
    /// their default, true) or three bare values in HpBandSter's parameter order, <c>false,true,true</c>.
    /// </summary>
    /// <returns>The flags, or null with <paramref name="problem"/> saying what is wrong.</returns>
    public static TrajectoryFlags? TryParse(string text, out string? problem)
    {
        problem = null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.All(p => !p.Contains('=', StringComparison.Ordinal)))
        {
            if (parts.Length != 3)
            {
                problem = $"'{text}' is neither key=value pairs ({string.Join(", ", Keys.Select(k => k + "=true|false"))}) nor three true|false values in the order {string.Join(",", Keys)}";
                return null;
            }

            var values = new bool[3];
            for (var i = 0; i < 3; i++)
            {
                if (!TryParseBool(parts[i], out values[i]))
                {
                    problem = $"the value '{parts[i]}' for {Keys[i]} must be true or false";
                    return null;
                }
            }

            return new TrajectoryFlags(values[0], values[1], values[2]);
        }

        var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                problem = $"'{part}' is not key=value; write for example {AllBudgetsKey}=false";
                return null;
            }

            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (!Keys.Contains(key, StringComparer.Ordinal))
            {
                problem = $"unknown flag '{key}'; the flags are {string.Join(", ", Keys)}";
                return null;
            }

            if (!TryParseBool(value, out var flag))
            {
                problem = $"the value '{value}' for {key} must be true or false";
                return null;
            }

            if (!flags.TryAdd(key, flag))
            {
                problem = $"{key} is given twice";
                return null;
            }
        }

        return new TrajectoryFlags(
            flags.GetValueOrDefault(AllBudgetsKey, true),
            flags.GetValueOrDefault(BiggerIsBetterKey, true),
            flags.GetValueOrDefault(NonDecreasingBudgetKey, true));
    }

    /// <summary><c>all_budgets=true,bigger_is_better=true,non_decreasing_budget=true</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{AllBudgetsKey}={Text(AllBudgets)},{BiggerIsBetterKey}={Text(BiggerIsBetter)},{NonDecreasingBudgetKey}={Text(NonDecreasingBudget)}");

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text.ToLowerInvariant())
        {
            case "true":
                value = true;
                return true;
            case "false":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static string Text(bool value) => value ? "true" : "false";
}
