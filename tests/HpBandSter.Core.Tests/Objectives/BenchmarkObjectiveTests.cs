using HpBandSter.Objectives;
using HpBandSter.Spaces;

namespace HpBandSter.Tests.Objectives;

public sealed class BenchmarkObjectiveTests
{
    private static Configuration Config(ConfigurationSpace space, params (string Name, object Value)[] values) =>
        space.CreateConfiguration(values.Select(v => new KeyValuePair<string, object>(v.Name, v.Value)));

    [Theory]
    [InlineData(-Math.PI, 12.275)]
    [InlineData(Math.PI, 2.275)]
    [InlineData(9.42478, 2.475)]
    public void BraninOptimaHaveTheKnownValue(double x1, double x2)
    {
        var branin = new BraninObjective();
        Assert.Equal(branin.Optimum, branin.TrueLoss(Config(branin.Space, ("x1", x1), ("x2", x2))), 5);
    }

    [Fact]
    public void BraninAtLowFidelityIsADifferentFunction()
    {
        Assert.NotEqual(BraninObjective.Value(1, 1, 1.0), BraninObjective.Value(1, 1, 9.0 / 243), 6);
        Assert.Equal(BraninObjective.Value(1, 1, 1.0), BraninObjective.Value(1, 1, 1.0));
    }

    [Fact]
    public void Hartmann6OptimumHasTheKnownValue()
    {
        var h = new Hartmann6Objective();
        double[] x = [0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162, 0.65730054];
        var config = Config(h.Space, x.Select((v, i) => ($"x{i}", (object)v)).ToArray());
        Assert.Equal(h.Optimum, h.TrueLoss(config), 6);
        Assert.True(h.TrueLoss(Config(h.Space, Enumerable.Range(0, 6).Select(i => ($"x{i}", (object)0.5)).ToArray())) > h.Optimum + 0.1);
    }

    [Fact]
    public void CountingOnesIsMinusSixteenAtAllOnes()
    {
        var c = new CountingOnesObjective();
        var values = Enumerable.Range(0, 8).SelectMany(i => new[] { ($"c{i}", (object)1L), ($"x{i}", (object)1.0) }).ToArray();
        var config = Config(c.Space, values);
        Assert.Equal(-16.0, c.TrueLoss(config));
        // With every probability 1 the binomial draws are all successes: no noise at any budget.
        Assert.Equal(-16.0, c.Evaluate(config, 9, new RandomSource(1L)).Loss);
    }

    [Fact]
    public void CountingOnesNoiseShrinksWithBudget()
    {
        var c = new CountingOnesObjective();
        var values = Enumerable.Range(0, 8).SelectMany(i => new[] { ($"c{i}", (object)0L), ($"x{i}", (object)0.5) }).ToArray();
        var config = Config(c.Space, values);
        double Spread(double budget)
        {
            var rng = new RandomSource(3L);
            var losses = Enumerable.Range(0, 400).Select(_ => c.Evaluate(config, budget, rng).Loss).ToArray();
            var mean = losses.Average();
            Assert.Equal(-4.0, mean, 1); // E = -Σ x_i = -4
            return Math.Sqrt(losses.Sum(l => (l - mean) * (l - mean)) / losses.Length);
        }

        // sd = sqrt(8 · 0.25 / n): 0.471 at n = 9, 0.052 at n = 729.
        Assert.InRange(Spread(9), 0.40, 0.55);
        Assert.InRange(Spread(729), 0.044, 0.061);
    }

    [Fact]
    public void ToyLossIsClippedAroundX()
    {
        var toy = new ToyObjective();
        var config = Config(toy.Space, ("x", 0.4));
        var rng = new RandomSource(5L);
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(toy.Evaluate(config, 9, rng).Loss, 0.2, 0.6000000000000001);
        }

        Assert.Equal(0.4, toy.TrueLoss(config));
    }

    [Fact]
    public void NoiseIsAFunctionOfSeedAndJob()
    {
        var h = new Hartmann6Objective();
        var config = h.Space.Sample(new RandomSource(1L));
        var id = new ConfigId(2, 0, 5);
        var a = h.Evaluate(config, 27, BenchmarkObjective.NoiseSource(7, id, 27)).Loss;
        var b = h.Evaluate(config, 27, BenchmarkObjective.NoiseSource(7, id, 27)).Loss;
        var c = h.Evaluate(config, 27, BenchmarkObjective.NoiseSource(8, id, 27)).Loss;
        var d = h.Evaluate(config, 81, BenchmarkObjective.NoiseSource(7, id, 81)).Loss;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, d);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void NonPositiveBudgetsAreRefused(double budget)
    {
        var toy = new ToyObjective();
        var config = toy.Space.DefaultConfiguration;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => toy.Evaluate(config, budget, new RandomSource(1L)));
        Assert.Contains("toy", error.Message);
    }

    [Fact]
    public void ObjectivesAreFoundByNameAndUnknownNamesListTheKnownOnes()
    {
        Assert.Equal(["toy", "branin", "hartmann6", "countingones"], BenchmarkObjectives.All.Select(o => o.Name));
        Assert.IsType<BraninObjective>(BenchmarkObjectives.Get("Branin"));
        var error = Assert.Throws<ArgumentException>(() => BenchmarkObjectives.Get("rosenbrock"));
        Assert.Contains("toy, branin, hartmann6, countingones", error.Message);
    }

    [Fact]
    public void SpacesHaveTheDocumentedShapes()
    {
        Assert.Equal(1, new ToyObjective().Space.Count);
        Assert.Equal(2, new BraninObjective().Space.Count);
        Assert.Equal(6, new Hartmann6Objective().Space.Count);
        var counting = new CountingOnesObjective().Space;
        Assert.Equal(16, counting.Count);
        Assert.Equal(8, counting.Hyperparameters.Count(h => h.IsCategorical && h.ChoiceCount == 2));
    }
}
