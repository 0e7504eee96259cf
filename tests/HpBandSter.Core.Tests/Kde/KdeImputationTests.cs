using HpBandSter.Sampling.Kde;

namespace HpBandSter.Tests.Kde;

public sealed class KdeImputationTests
{
    private const double NaN = double.NaN;

    [Fact]
    public void A_nan_in_column_zero_is_filled_which_HpBandSter_missed()
    {
        // Row 0's only NaN is column 0: HpBandSter's `while np.any(nan_indices)` sees [0] as False and keeps the NaN.
        double[] data = [NaN, 0.5, 0.2, 0.7];
        KdeImputation.Impute(data, 2, [KdeColumn.Continuous(), KdeColumn.Continuous()], new RandomSource(1UL));
        Assert.Equal([0.2, 0.5, 0.2, 0.7], data);
    }

    [Fact]
    public void Donor_rows_fill_all_still_nan_positions_and_the_loop_continues()
    {
        double[] data =
        [
            0.1, NaN, NaN, // col 1: only row 1 is a donor; it copies col 1 (0.4) and col 2 (NaN there), then col 2 from row 2
            0.3, 0.4, NaN,
            0.5, NaN, 0.9,
        ];
        var columns = new[] { KdeColumn.Continuous(), KdeColumn.Continuous(), KdeColumn.Continuous() };
        KdeImputation.Impute(data, 3, columns, new RandomSource(2UL));
        Assert.Equal(
            [
                0.1, 0.4, 0.9,
                0.3, 0.4, 0.9,
                0.5, 0.4, 0.9,
            ],
            data);
    }

    [Fact]
    public void The_donor_is_chosen_uniformly_among_rows_with_the_column_active()
    {
        var counts = new Dictionary<double, int>();
        var rng = new RandomSource(3UL);
        for (var trial = 0; trial < 3000; trial++)
        {
            double[] data = [NaN, 1.0, 2.0, 3.0];
            KdeImputation.Impute(data, 4, [KdeColumn.Categorical(4)], rng);
            counts[data[0]] = counts.GetValueOrDefault(data[0]) + 1;
        }

        Assert.Equal([1.0, 2.0, 3.0], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 900, 1100));
    }

    [Fact]
    public void Without_donors_a_column_is_filled_uniformly_in_column_order()
    {
        double[] data =
        [
            NaN, 0.1, NaN,
            NaN, 0.2, NaN,
        ];
        var columns = new[] { KdeColumn.Continuous(), KdeColumn.Continuous(), KdeColumn.Categorical(5) };
        KdeImputation.Impute(data, 2, columns, new RandomSource(4UL));

        var replay = new RandomSource(4UL);
        double[] expected = [replay.NextDouble(), 0.1, replay.Next(5), replay.NextDouble(), 0.2, replay.Next(5)];
        Assert.Equal(expected, data);
        Assert.Equal(Math.Floor(data[2]), data[2]);
    }

    [Fact]
    public void Donor_values_that_are_nan_fall_through_to_a_uniform_fill()
    {
        double[] data =
        [
            NaN, NaN,
            0.6, NaN,
        ];
        var columns = new[] { KdeColumn.Continuous(), KdeColumn.Categorical(3) };
        KdeImputation.Impute(data, 2, columns, new RandomSource(5UL));

        // Row 0 copies both positions from row 1 (col 1 stays NaN); col 1 has no donor, so both rows draw a level.
        var replay = new RandomSource(5UL);
        double[] expected = [0.6, replay.Next(3), 0.6, replay.Next(3)];
        Assert.Equal(expected, data);
    }

    [Fact]
    public void The_same_seed_gives_the_same_imputation_and_data_without_nan_is_untouched()
    {
        var rng = new RandomSource(6UL);
        var data = Enumerable.Range(0, 300).Select(i => rng.NextDouble() < 0.3 ? NaN : (i % 3 == 2 ? rng.Next(4) : rng.NextDouble())).ToArray();
        var columns = new[] { KdeColumn.Continuous(), KdeColumn.Continuous(), KdeColumn.Categorical(4) };
        var first = data.ToArray();
        var second = data.ToArray();
        KdeImputation.Impute(first, 100, columns, new RandomSource(7UL));
        KdeImputation.Impute(second, 100, columns, new RandomSource(7UL));
        Assert.Equal(first, second);
        Assert.DoesNotContain(first, double.IsNaN);
        for (var i = 0; i < data.Length; i++)
        {
            if (!double.IsNaN(data[i]))
            {
                Assert.Equal(data[i], first[i]);
            }
        }

        var clean = first.ToArray();
        var untouchedRng = new RandomSource(8UL);
        var state = untouchedRng.GetState();
        KdeImputation.Impute(clean, 100, columns, untouchedRng);
        Assert.Equal(first, clean);
        Assert.Equal(state, untouchedRng.GetState());
    }

    [Fact]
    public void Shape_mismatch_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => KdeImputation.Impute(new double[5], 2, [KdeColumn.Continuous(), KdeColumn.Continuous()], new RandomSource(1UL)));
    }
}
