using HpBandSter.Scheduling;

namespace HpBandSter.Tests.Scheduling;

/// <summary>
/// Budgets and brackets against HpBandSter's arithmetic. Expected numbers were produced with python3
/// (<c>math.log</c>, float <c>**</c>, which is C's pow as numpy's) and are hard-coded as Python printed them.
/// </summary>
public sealed class HyperbandScheduleTests
{
    [Theory]
    [InlineData(9, 243, 3, 4)] // log ratio exactly -3.0
    [InlineData(1, 27, 3, 4)]
    [InlineData(0.01, 1, 3, 5)] // -4.19...
    [InlineData(1, 10, 3, 3)] // -2.09...
    [InlineData(9, 729, 3, 5)] // exactly -4.0
    [InlineData(1, 81, 3, 5)] // exactly -4.0
    [InlineData(1, 1, 3, 1)]
    [InlineData(1, 243, 3, 5)] // -4.999999999999999: truncates to -4, so 5 budgets, not 6
    [InlineData(1, 1000, 10, 3)] // -2.9999999999999996: 3 budgets, not 4
    [InlineData(1, 100, 10, 2)] // -1.9999999999999996
    [InlineData(1, 59049, 3, 10)] // 3**10: -9.999999999999998
    [InlineData(1, 125, 5, 4)] // -3.0000000000000004: truncates to -3
    [InlineData(1, 1024, 2, 11)]
    [InlineData(0.5, 8, 2.5, 4)]
    public void MaxShIterationsTruncatesLikePython(double min, double max, double eta, int expected)
    {
        Assert.Equal(expected, new HyperbandSchedule(min, max, eta).MaxShIterations);
    }

    [Theory]
    [InlineData(9, 243, 3, new[] { 9.0, 27.0, 81.0, 243.0 })]
    [InlineData(1, 27, 3, new[] { 1.0, 3.0, 9.0, 27.0 })]
    [InlineData(0.01, 1, 3, new[] { 0.012345679012345678, 0.037037037037037035, 0.1111111111111111, 0.3333333333333333, 1.0 })]
    [InlineData(1, 10, 3, new[] { 1.1111111111111112, 3.333333333333333, 10.0 })]
    [InlineData(9, 729, 3, new[] { 9.0, 27.0, 81.0, 243.0, 729.0 })]
    [InlineData(1, 81, 3, new[] { 1.0, 3.0, 9.0, 27.0, 81.0 })]
    [InlineData(1, 1, 3, new[] { 1.0 })]
    [InlineData(1, 1000, 10, new[] { 10.0, 100.0, 1000.0 })]
    [InlineData(1, 100, 2, new[] { 1.5625, 3.125, 6.25, 12.5, 25.0, 50.0, 100.0 })]
    [InlineData(0.5, 8, 2.5, new[] { 0.512, 1.28, 3.2, 8.0 })]
    public void BudgetsAreAnchoredAtMaxBudgetBitForBit(double min, double max, double eta, double[] expected)
    {
        var budgets = new HyperbandSchedule(min, max, eta).Budgets;
        Assert.Equal(expected.Length, budgets.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected[i]), BitConverter.DoubleToInt64Bits(budgets[i]));
        }
    }

    [Fact]
    public void Min9Max243GivesHpBandSterBrackets()
    {
        var schedule = new HyperbandSchedule(9, 243, 3);
        Assert.Equal(new BracketPlan([27, 9, 3, 1], [9, 27, 81, 243]), schedule.Bracket(0));
        Assert.Equal(new BracketPlan([9, 3, 1], [27, 81, 243]), schedule.Bracket(1));
        Assert.Equal(new BracketPlan([6, 2], [81, 243]), schedule.Bracket(2));
        Assert.Equal(new BracketPlan([4], [243]), schedule.Bracket(3));
        Assert.Equal(schedule.Bracket(0), schedule.Bracket(4)); // the cycle repeats
        Assert.Equal(schedule.Bracket(3), schedule.Bracket(7));
    }

    [Fact]
    public void Min9Max243BracketBudgets()
    {
        var schedule = new HyperbandSchedule(9, 243, 3);
        Assert.Equal([972.0, 729.0, 972.0, 972.0], Enumerable.Range(0, 4).Select(i => schedule.Bracket(i).TotalBudget));
    }

    [Fact]
    public void DefaultBohbSettingsGiveFloorSizedBrackets()
    {
        var schedule = new HyperbandSchedule(0.01, 1, 3);
        Assert.Equal(BracketSizing.Floor, schedule.Sizing);
        int[][] expected = [[81, 27, 9, 3, 1], [27, 9, 3, 1], [9, 3, 1], [6, 2], [5]];
        for (var i = 0; i < expected.Length; i++)
        {
            var bracket = schedule.Bracket(i);
            Assert.Equal(expected[i], bracket.NumConfigs);
            Assert.Equal(schedule.Budgets.Skip(i), bracket.Budgets);
        }
    }

    [Fact]
    public void CeilSizingFollowsTheHyperBandPaper()
    {
        // Li et al., Algorithm 1: n = ceil((s_max + 1) * eta**s / (s + 1)); n_i = floor(n * eta**-i).
        var schedule = new HyperbandSchedule(0.01, 1, 3, BracketSizing.Ceil);
        int[][] expected = [[81, 27, 9, 3, 1], [34, 11, 3, 1], [15, 5, 1], [8, 2], [5]];
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(i => schedule.Bracket(i).NumConfigs.ToArray()));
    }

    [Theory]
    [InlineData(1, 7, 2, BracketSizing.Floor, "4,2,1|2,1|3")]
    [InlineData(1, 7, 2, BracketSizing.Ceil, "4,2,1|3,1|3")]
    [InlineData(0.3, 10, 2.5, BracketSizing.Floor, "15,6,2,1|6,2,1|5,2|4")]
    [InlineData(0.3, 10, 2.5, BracketSizing.Ceil, "16,6,2,1|9,3,1|5,2|4")]
    [InlineData(1, 10, 3, BracketSizing.Floor, "9,3,1|3,1|3")]
    [InlineData(1, 10, 3, BracketSizing.Ceil, "9,3,1|5,1|3")]
    [InlineData(1, 100, 2, BracketSizing.Floor, "64,32,16,8,4,2,1|32,16,8,4,2,1|16,8,4,2,1|8,4,2,1|8,4,2|6,3|7")]
    [InlineData(1, 100, 2, BracketSizing.Ceil, "64,32,16,8,4,2,1|38,19,9,4,2,1|23,11,5,2,1|14,7,3,1|10,5,2|7,3|7")]
    [InlineData(1, 1000, 10, BracketSizing.Floor, "100,10,1|10,1|3")]
    public void BracketCycleMatchesPython(double min, double max, double eta, BracketSizing sizing, string expected)
    {
        var schedule = new HyperbandSchedule(min, max, eta, sizing);
        var actual = string.Join("|", Enumerable.Range(0, schedule.MaxShIterations).Select(i => string.Join(",", schedule.Bracket(i).NumConfigs)));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MinEqualsMaxIsOneConfigAtMaxBudget()
    {
        var schedule = new HyperbandSchedule(5, 5, 3);
        Assert.Equal(1, schedule.MaxShIterations);
        Assert.Equal([5.0], schedule.Budgets);
        Assert.Equal(new BracketPlan([1], [5]), schedule.Bracket(0));
        Assert.Equal(new BracketPlan([1], [5]), schedule.Bracket(17));
        Assert.Equal(new BracketPlan([1], [5]), schedule.RandomSearchBracket());
        Assert.Equal(new BracketPlan([1], [5]), schedule.H2boBracket(double.NegativeInfinity));
    }

    [Theory]
    [InlineData(1, 27, 3, 108.0, 4)]
    [InlineData(9, 243, 3, 972.0, 4)]
    [InlineData(0.01, 1, 3, 5.0, 5)]
    [InlineData(1, 10, 3, 30.0, 3)]
    [InlineData(1, 1, 3, 1.0, 1)]
    [InlineData(1, 7, 2, 21.0, 3)]
    [InlineData(0.3, 10, 2.5, 40.0, 4)]
    [InlineData(1, 100, 2, 700.0, 7)]
    public void RandomSearchRunsOneHyperBandIterationsWorthAtMaxBudget(double min, double max, double eta, double perIteration, int n)
    {
        var schedule = new HyperbandSchedule(min, max, eta);
        Assert.Equal(perIteration, schedule.BudgetPerIteration);
        Assert.Equal(new BracketPlan([n], [max]), schedule.RandomSearchBracket());
    }

    [Theory]
    [InlineData(0.01, 1, 3, double.NegativeInfinity, "81,27,9,3,1", 0.012345679012345678)]
    [InlineData(0.01, 1, 3, 0.012345679012345678, "81,27,9,3,1", 0.012345679012345678)]
    [InlineData(0.01, 1, 3, 0.1111111111111111, "17,5,1", 0.1111111111111111)]
    [InlineData(0.01, 1, 3, 0.3333333333333333, "8,2", 0.3333333333333333)]
    [InlineData(0.01, 1, 3, 1.0, "5", 1.0)]
    [InlineData(9, 243, 3, double.NegativeInfinity, "27,9,3,1", 9.0)]
    [InlineData(9, 243, 3, 3.0, "27,9,3,1", 9.0)] // below min_budget: min_budget wins
    [InlineData(9, 243, 3, 27.0, "14,4,1", 27.0)]
    [InlineData(9, 243, 3, 81.0, "6,2", 81.0)]
    [InlineData(9, 243, 3, 243.0, "4", 243.0)]
    [InlineData(1, 27, 3, 27.0, "4", 27.0)]
    [InlineData(1, 10, 3, 1.1111111111111112, "5,1", 3.333333333333333)] // log(1.11../10)/log(3) = -1.9999999999999996: two budgets, as in HpBandSter
    [InlineData(0.3, 10, 2.5, double.NegativeInfinity, "17,6,2,1", 0.64)]
    [InlineData(0.3, 10, 2.5, 1.6, "9,3,1", 1.6)]
    [InlineData(0.3, 10, 2.5, 4.0, "4", 10.0)] // log(4/10)/log(2.5) = -0.9999999999999999: one budget, as in HpBandSter
    [InlineData(1, 7, 2, 3.5, "3,1", 3.5)]
    [InlineData(1, 100, 2, 3.125, "40,20,10,5,2,1", 3.125)]
    [InlineData(1, 100, 2, 12.5, "15,7,3,1", 12.5)]
    [InlineData(1, 100, 2, 25.0, "10,5,2", 25.0)]
    public void H2boGrowsTheMostAggressiveBracketToTheBudgetPerIteration(
        double min, double max, double eta, double largestWithModel, string expected, double firstBudget)
    {
        var schedule = new HyperbandSchedule(min, max, eta);
        var bracket = schedule.H2boBracket(largestWithModel);
        Assert.Equal(expected, string.Join(",", bracket.NumConfigs));
        Assert.Equal(firstBudget, bracket.Budgets[0]);
        Assert.Equal(max, bracket.Budgets[^1]);
        Assert.True(bracket.TotalBudget <= schedule.BudgetPerIteration);
    }

    [Fact]
    public void H2boBudgetsAreASuffixOfTheGrid()
    {
        var schedule = new HyperbandSchedule(1, 100, 2);
        Assert.Equal(schedule.Budgets.Skip(3), schedule.H2boBracket(12.5).Budgets);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(2.0)]
    public void H2boRejectsABudgetOutsideTheSchedule(double largest)
    {
        var schedule = new HyperbandSchedule(0.01, 1, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => schedule.H2boBracket(largest));
        Assert.Contains("max_budget", ex.Message);
    }

    [Theory]
    [InlineData(0, 1, 3, "minBudget", "min_budget must be a positive")]
    [InlineData(-1, 1, 3, "minBudget", "min_budget must be a positive")]
    [InlineData(double.NaN, 1, 3, "minBudget", "min_budget")]
    [InlineData(1, double.PositiveInfinity, 3, "maxBudget", "max_budget must be a positive")]
    [InlineData(2, 1, 3, "minBudget", "min_budget (2) must not exceed max_budget (1)")]
    [InlineData(1, 9, 1, "eta", "eta must be a finite number of at least 2 (got 1)")]
    [InlineData(1, 9, 1.5, "eta", "eta must be")]
    [InlineData(1, 9, double.NaN, "eta", "eta must be")]
    [InlineData(1e-300, 1e300, 2, "minBudget", "too large")]
    [InlineData(1, 1e12, 2, "minBudget", "too large")] // 2**39 configurations in the first bracket
    public void InvalidSettingsAreRejectedByName(double min, double max, double eta, string parameter, string message)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new HyperbandSchedule(min, max, eta));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void NegativeIterationIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperbandSchedule(1, 9, 3).Bracket(-1));
    }
}
