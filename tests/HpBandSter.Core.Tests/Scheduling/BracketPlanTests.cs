using HpBandSter.Scheduling;

namespace HpBandSter.Tests.Scheduling;

public sealed class BracketPlanTests
{
    [Fact]
    public void EqualityIsByValue()
    {
        Assert.Equal(new BracketPlan([6, 2], [81, 243]), new BracketPlan(new List<int> { 6, 2 }, new[] { 81.0, 243.0 }));
        Assert.Equal(new BracketPlan([6, 2], [81, 243]).GetHashCode(), new BracketPlan([6, 2], [81, 243]).GetHashCode());
        Assert.NotEqual(new BracketPlan([6, 2], [81, 243]), new BracketPlan([6, 1], [81, 243]));
        Assert.NotEqual(new BracketPlan([6, 2], [81, 243]), new BracketPlan([6, 2], [81, 242]));
    }

    [Fact]
    public void TotalBudgetSumsConfigsTimesBudget()
    {
        Assert.Equal(972.0, new BracketPlan([27, 9, 3, 1], [9, 27, 81, 243]).TotalBudget);
        Assert.Equal("[6, 2] at [81, 243]", new BracketPlan([6, 2], [81, 243]).ToString());
    }

    [Fact]
    public void CopiesItsInputs()
    {
        var sizes = new List<int> { 3, 1 };
        var plan = new BracketPlan(sizes, [1, 3]);
        sizes[0] = 99;
        Assert.Equal(3, plan.NumConfigs[0]);
    }

    [Theory]
    [InlineData(new int[0], new double[0], "numConfigs")]
    [InlineData(new[] { 3, 1 }, new[] { 1.0 }, "budgets")]
    [InlineData(new[] { 3, 0 }, new[] { 1.0, 3.0 }, "numConfigs")]
    [InlineData(new[] { 3, 1 }, new[] { 1.0, double.NaN }, "budgets")]
    [InlineData(new[] { 3, 1 }, new[] { -1.0, 3.0 }, "budgets")]
    public void InvalidPlansAreRejected(int[] sizes, double[] budgets, string parameter)
    {
        Assert.Equal(parameter, Assert.Throws<ArgumentException>(() => new BracketPlan(sizes, budgets)).ParamName);
    }
}
