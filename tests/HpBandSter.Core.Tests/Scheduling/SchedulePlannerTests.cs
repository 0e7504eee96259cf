using HpBandSter.Scheduling;

namespace HpBandSter.Tests.Scheduling;

public sealed class SchedulePlannerTests
{
    [Fact]
    public void FourHyperBandIterationsOfMin9Max243()
    {
        var plan = SchedulePlanner.Plan(new HyperbandSchedule(9, 243, 3), BracketScheme.HyperBand, 4);
        Assert.Equal(["27,9,3,1", "9,3,1", "6,2", "4"], plan.Iterations.Select(b => string.Join(",", b.NumConfigs)));
        Assert.Equal([9.0, 27, 81, 243], plan.Budgets);
        // 27*9 + 9*27 + 3*81 + 243 = 972; 9*27 + 3*81 + 243 = 729; 6*81 + 2*243 = 972; 4*243 = 972.
        Assert.Equal(3645.0, plan.TotalBudget);
        Assert.Equal(15.0, plan.TotalBudgetInFullEvaluations);
        Assert.Equal(40 + 13 + 8 + 4, plan.TotalEvaluations);
        Assert.False(plan.AssumesNoModel);
    }

    [Fact]
    public void HyperBandPlanCyclesThroughTheBrackets()
    {
        var schedule = new HyperbandSchedule(1, 27, 3);
        var plan = SchedulePlanner.Plan(schedule, BracketScheme.HyperBand, 6);
        Assert.Equal(schedule.Bracket(0), plan.Iterations[4]);
        Assert.Equal(schedule.Bracket(1), plan.Iterations[5]);
    }

    [Fact]
    public void RandomSearchPlanRunsAtMaxBudgetOnly()
    {
        var plan = SchedulePlanner.Plan(new HyperbandSchedule(1, 27, 3), BracketScheme.RandomSearch, 3);
        Assert.All(plan.Iterations, b => Assert.Equal(new BracketPlan([4], [27]), b));
        Assert.Equal([27.0], plan.Budgets);
        Assert.Equal(12.0, plan.TotalBudgetInFullEvaluations);
    }

    [Fact]
    public void H2boPlanAssumesNoModel()
    {
        var plan = SchedulePlanner.Plan(new HyperbandSchedule(0.01, 1, 3), BracketScheme.H2bo, 2);
        Assert.True(plan.AssumesNoModel);
        Assert.All(plan.Iterations, b => Assert.Equal([81, 27, 9, 3, 1], b.NumConfigs));
        Assert.Equal(10.0, plan.TotalBudget, 12); // each bracket costs 5 full evaluations up to rounding
    }

    [Fact]
    public void BracketForPassesTheModelBudgetToH2bo()
    {
        var schedule = new HyperbandSchedule(9, 243, 3);
        Assert.Equal(new BracketPlan([6, 2], [81, 243]), SchedulePlanner.BracketFor(schedule, BracketScheme.H2bo, 0, 81));
        Assert.Equal(schedule.Bracket(2), SchedulePlanner.BracketFor(schedule, BracketScheme.HyperBand, 2));
    }

    [Fact]
    public void PlanNeedsAtLeastOneIteration()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SchedulePlanner.Plan(new HyperbandSchedule(1, 9, 3), BracketScheme.HyperBand, 0));
        Assert.Equal("iterations", ex.ParamName);
    }
}
