using HpBandSter.Sampling.Kde;

namespace HpBandSter.Tests.Kde;

public sealed class CategoricalProposalTests
{
    [Fact]
    public void Keeps_the_level_with_probability_one_minus_bandwidth_plus_its_uniform_share()
    {
        const int draws = 40000;
        var rng = new RandomSource(5UL);
        var counts = new int[4];
        for (var i = 0; i < draws; i++)
        {
            counts[CategoricalProposal.Sample(2, 0.3, 4, rng)]++;
        }

        // P(2) = 0.7 + 0.3/4 = 0.775; every other level 0.075.
        double[] expected = [0.075, 0.075, 0.775, 0.075];
        for (var level = 0; level < 4; level++)
        {
            var p = expected[level];
            var standardError = Math.Sqrt(p * (1 - p) / draws);
            Assert.InRange((double)counts[level] / draws, p - (4 * standardError), p + (4 * standardError));
        }
    }

    [Fact]
    public void Draws_in_BOHB_order_one_uniform_then_one_level_when_jumping()
    {
        var rng = new RandomSource(8UL);
        var replay = new RandomSource(8UL);
        for (var i = 0; i < 200; i++)
        {
            var actual = CategoricalProposal.Sample(1, 0.5, 3, rng);
            var expected = replay.NextDouble() < 0.5 ? 1 : replay.Next(3);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_bandwidth_of_one_always_jumps_uniformly()
    {
        var rng = new RandomSource(9UL);
        var counts = new int[2];
        for (var i = 0; i < 10000; i++)
        {
            counts[CategoricalProposal.Sample(0, 1.0, 2, rng)]++;
        }

        Assert.InRange(counts[1], 4800, 5200);
    }
}
