using System.Globalization;
using System.Text.RegularExpressions;

namespace HpBandSter.Examples.Tests;

/// <summary>Checks HpBandSter's Step-5 summary as the examples print it.</summary>
internal static partial class Step5Lines
{
    /// <summary>
    /// Asserts the incumbent lines and HpBandSter's counts for BOHB with budgets 9..243 and 4 iterations: 46 configurations,
    /// 65 runs, 15.0 full evaluations (they follow from the brackets, whatever the slots); returns the incumbent's x.
    /// </summary>
    public static double AssertFourIterationsOfBohb(string stdout)
    {
        var best = BestLine().Match(stdout);
        Assert.True(best.Success, $"no 'Best found configuration: {{x: …}}' line in:\n{stdout}");
        Assert.Matches(IdLine(), stdout);
        Assert.Contains("A total of 46 unique configurations were sampled.", stdout, StringComparison.Ordinal);
        Assert.Contains("A total of 65 runs were executed.", stdout, StringComparison.Ordinal);
        Assert.Contains("Total budget corresponds to 15.0 full function evaluations.", stdout, StringComparison.Ordinal);
        var x = double.Parse(best.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.InRange(x, 0.0, 1.0);
        return x;
    }

    [GeneratedRegex(@"^Best found configuration: \{x: ([-0-9.E+]+)\}\r?$", RegexOptions.Multiline)]
    private static partial Regex BestLine();

    [GeneratedRegex(@"^  config id \[\d+, \d+, \d+\], loss \S+ on budget 243\r?$", RegexOptions.Multiline)]
    private static partial Regex IdLine();
}
