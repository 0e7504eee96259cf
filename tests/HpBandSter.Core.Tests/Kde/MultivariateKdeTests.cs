using HpBandSter.Sampling.Kde;

namespace HpBandSter.Tests.Kde;

public sealed class MultivariateKdeTests
{
    private static readonly KdeOptions Raw = new(MinBandwidth: 0.0);
    private static readonly KdeOptions RawCompatible = new(MinBandwidth: 0.0, StatsmodelsCompatibleLevels: true);

    public static IEnumerable<object[]> Cases => KdeFixture.CaseNames;

    public static IEnumerable<object[]> Paths =>
    [
        [nameof(KdeSimdPath.Vector512)],
        [nameof(KdeSimdPath.Vector256)],
        [nameof(KdeSimdPath.Scalar)],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void PopulationStd_matches_numpy_to_the_last_bit(string name)
    {
        var c = KdeFixture.Get(name);
        var std = Enumerable.Range(0, c.Dims)
            .Select(j => MultivariateKde.PopulationStd(Enumerable.Range(0, c.Rows).Select(i => c.Value(i, j)).ToArray()));
        Assert.Equal(c.ColumnStd, std);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bandwidths_match_statsmodels_normal_reference_to_the_last_bit(string name)
    {
        var c = KdeFixture.Get(name);
        var kde = MultivariateKde.Fit(c.Data, c.Rows, c.Columns(), RawCompatible);
        Assert.Equal(c.Bandwidths, kde.Bandwidths);
    }

    [Fact]
    public void Bandwidths_are_clipped_below_at_min_bandwidth()
    {
        var c = KdeFixture.Get("categorical_single_level_n20");
        var kde = MultivariateKde.Fit(c.Data, c.Rows, c.Columns(), new KdeOptions(MinBandwidth: 0.2));
        Assert.Equal([c.Bandwidths[0], 0.2, 0.2], kde.Bandwidths);
        Assert.True(c.Bandwidths[0] > 0.2 && c.Bandwidths[2] < 0.2);

        var byDefault = MultivariateKde.Fit(c.Data, c.Rows, c.Columns());
        Assert.Equal(1e-3, byDefault.Bandwidths[1]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pdf_in_statsmodels_compatible_mode_matches_the_fixture(string name)
    {
        var c = KdeFixture.Get(name);
        var kde = MultivariateKde.Fit(c.Data, c.Rows, c.Columns(), RawCompatible);
        for (var q = 0; q < c.Queries.Length; q++)
        {
            AssertRelative(c.Pdf[q], kde.Pdf(c.Queries[q]), 1e-12, $"{name} query {q}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PdfBatch_on_every_path_matches_the_fixture(string name)
    {
        var c = KdeFixture.Get(name);
        var kde = MultivariateKde.Fit(c.Data, c.Rows, c.Columns(), RawCompatible);
        var queries = c.Queries.SelectMany(q => q).ToArray();
        foreach (var path in new[] { KdeSimdPath.Vector512, KdeSimdPath.Vector256, KdeSimdPath.Scalar })
        {
            var result = new double[c.Queries.Length];
            kde.PdfBatch(queries, c.Queries.Length, result, path);
            for (var q = 0; q < result.Length; q++)
            {
                AssertRelative(c.Pdf[q], result[q], 1e-12, $"{name} {path} query {q}");
            }
        }
    }

    [Fact]
    public void Single_observed_level_gives_nan_in_compatible_mode()
    {
        var c = KdeFixture.Get("categorical_single_level_n20");
        Assert.Equal([1, 3], c.Pdf.Select((p, i) => (p, i)).Where(t => double.IsNaN(t.p)).Select(t => t.i));
        var kde = MultivariateKde.Fit(c.Data, c.Rows, c.Columns(), RawCompatible);
        Assert.Equal(1, kde.LevelDivisors[1]);
        Assert.True(double.IsNaN(kde.Pdf(c.Queries[1])));
        Assert.True(double.IsNaN(kde.Pdf(c.Queries[3])));

        // With BOHB's default clip, h = 1e-3 > 0 and h/(c−1) = h/0 = ∞ (HpBandSter issue #100).
        var clipped = MultivariateKde.Fit(c.Data, c.Rows, c.Columns(), new KdeOptions(StatsmodelsCompatibleLevels: true));
        Assert.Equal(double.PositiveInfinity, clipped.Pdf(c.Queries[1]));
    }

    [Theory]
    [InlineData("mixed_ccuucu_n40_levels_2_3_4")]
    [InlineData("countingones_16d_n60")]
    [InlineData("6d_continuous_n50")]
    public void Fixed_mode_equals_compatible_mode_when_every_level_is_observed(string name)
    {
        var c = KdeFixture.Get(name);
        var columns = c.Columns();
        var kde = MultivariateKde.Fit(c.Data, c.Rows, columns, Raw);
        for (var j = 0; j < c.Dims; j++)
        {
            if (columns[j].IsCategorical)
            {
                var observed = Enumerable.Range(0, c.Rows).Select(i => c.Value(i, j)).Distinct().Count();
                Assert.Equal(columns[j].Levels, observed);
                Assert.Equal(columns[j].Levels, kde.LevelDivisors[j]);
            }
        }

        for (var q = 0; q < c.Queries.Length; q++)
        {
            AssertRelative(c.Pdf[q], kde.Pdf(c.Queries[q]), 1e-12, $"{name} query {q}");
        }
    }

    [Fact]
    public void Fixed_mode_single_observed_level_gives_finite_values_derived_by_hand()
    {
        // Column 1 is categorical with 2 true choices, but every row holds level 0.
        var c = KdeFixture.Get("categorical_single_level_n20");
        var columns = c.Columns(new Dictionary<int, int> { [1] = 2 });
        var h0 = c.Bandwidths[0];
        var h2 = c.Bandwidths[2];

        // The two continuous columns alone: (1/n) Σ φ((x0−X0)/h0)/h0 · φ((x2−X2)/h2)/h2.
        double Continuous(double[] x) => Enumerable.Range(0, c.Rows).Sum(i =>
            Phi((x[0] - c.Value(i, 0)) / h0) / h0 * Phi((x[2] - c.Value(i, 2)) / h2) / h2) / c.Rows;

        // min_bandwidth 1e-3: the categorical bandwidth 0 becomes 1e-3, so a match weighs 1 − 1e-3 and a mismatch
        // 1e-3/(2−1); every row is level 0, so the categorical factor is the same for all rows.
        var kde = MultivariateKde.Fit(c.Data, c.Rows, columns, new KdeOptions(MinBandwidth: 1e-3));
        Assert.Equal(2, kde.LevelDivisors[1]);
        foreach (var q in c.Queries)
        {
            var expected = (q[1] == 0.0 ? 0.999 : 1e-3) * Continuous(q);
            var actual = kde.Pdf(q);
            Assert.True(double.IsFinite(actual));
            AssertRelative(expected, actual, 1e-12, $"query {string.Join(",", q)}");
        }

        // No clip: h = 0, so a match weighs 1 (the fixture's value) and a mismatch 0/(2−1) = 0.
        var raw = MultivariateKde.Fit(c.Data, c.Rows, columns, Raw);
        AssertRelative(c.Pdf[0], raw.Pdf(c.Queries[0]), 1e-12, "match");
        Assert.Equal(0.0, raw.Pdf(c.Queries[1]));

        // A hyperparameter with a single choice: kernel 1 when equal, 0 otherwise, whatever h is.
        var single = MultivariateKde.Fit(c.Data, c.Rows, c.Columns(new Dictionary<int, int> { [1] = 1 }));
        AssertRelative(Continuous(c.Queries[0]), single.Pdf(c.Queries[0]), 1e-12, "single choice, match");
        Assert.Equal(0.0, single.Pdf(c.Queries[1]));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Log_kernel_agrees_with_the_reference_on_random_data(string pathName) =>
        CompareWithReference(Enum.Parse<KdeSimdPath>(pathName), KdeOptions.Default, spread: 1.0, expectLogKernel: true);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Log_kernel_agrees_with_the_reference_when_bandwidths_sit_at_the_clip(string pathName) =>
        CompareWithReference(Enum.Parse<KdeSimdPath>(pathName), KdeOptions.Default, spread: 1e-4, expectLogKernel: true);

    [Theory]
    [MemberData(nameof(Paths))]
    public void Product_kernel_agrees_with_the_reference_on_random_data(string pathName) =>
        CompareWithReference(Enum.Parse<KdeSimdPath>(pathName), new KdeOptions(StatsmodelsCompatibleLevels: true), spread: 1.0, expectLogKernel: false);

    [Fact]
    public void The_log_kernel_is_used_only_when_every_kernel_value_is_positive_and_finite()
    {
        double[] data = [0.1, 0, 0.5, 1, 0.9, 2, 0.4, 1];
        KdeColumn[] columns = [KdeColumn.Continuous(), KdeColumn.Categorical(3)];
        Assert.True(MultivariateKde.Fit(data, 4, columns).UsesLogKernel);
        Assert.False(MultivariateKde.Fit(data, 4, columns, new KdeOptions(StatsmodelsCompatibleLevels: true)).UsesLogKernel);

        // A constant continuous column without the clip has h = 0.
        Assert.False(MultivariateKde.Fit([0.5, 0, 0.5, 1], 2, columns, Raw).UsesLogKernel);

        // Levels 0 and 9 of ten: the categorical bandwidth exceeds 1, so 1 − h < 0.
        Assert.False(MultivariateKde.Fit([0.0, 9.0, 0.0, 9.0], 4, [KdeColumn.Categorical(10)]).UsesLogKernel);

        // A single-choice column is handled by the log kernel (kernel 1 or 0).
        Assert.True(MultivariateKde.Fit([0.1, 0, 0.5, 0], 2, [KdeColumn.Continuous(), KdeColumn.Categorical(1)]).UsesLogKernel);
    }

    private static void CompareWithReference(KdeSimdPath path, KdeOptions options, double spread, bool expectLogKernel)
    {
        var rng = new RandomSource(20240611UL);
        foreach (var (rows, kinds) in new[]
                 {
                     (1, "c"), (7, "cu"), (8, "ccc"), (9, "uu"), (33, "cucucu"), (100, "cccccc"), (31, "uuc"),
                     (1000, "ccc"), (1000, "uuuuuuuucccccccc"), (2550, "cccccc"),
                 })
        {
            var dims = kinds.Length;
            var columns = kinds.Select(k => k == 'c' ? KdeColumn.Continuous() : KdeColumn.Categorical(3)).ToArray();
            var data = new double[rows * dims];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = columns[i % dims].IsCategorical ? rng.Next(3) : 0.3 + (spread * rng.NextDouble());
            }

            var kde = MultivariateKde.Fit(data, rows, columns, options);
            Assert.Equal(expectLogKernel, kde.UsesLogKernel);
            const int count = 37;
            var queries = new double[count * dims];
            for (var q = 0; q < count; q++)
            {
                // Near a random data row (a few bandwidths away), so that the density is not negligible.
                var row = rng.Next(rows);
                for (var j = 0; j < dims; j++)
                {
                    queries[(q * dims) + j] = columns[j].IsCategorical
                        ? rng.Next(3)
                        : data[(row * dims) + j] + (2.0 * kde.Bandwidths[j] * rng.NextGaussian());
                }
            }

            var result = new double[count];
            kde.PdfBatch(queries, count, result, path);
            var categorical = columns.Select(col => col.IsCategorical).ToArray();
            var bandwidths = kde.Bandwidths.ToArray();
            var divisors = kde.LevelDivisors.ToArray();
            for (var q = 0; q < count; q++)
            {
                var query = queries.AsSpan(q * dims, dims);
                var expected = StatsmodelsReference.Pdf(data, categorical, bandwidths, divisors, fixedSingleLevel: !options.StatsmodelsCompatibleLevels, query);
                if (double.IsInfinity(expected))
                {
                    Assert.Equal(expected, result[q]); // a single observed level in compatible mode: h/0
                    continue;
                }

                Assert.True(expected > 0, "the random data should give positive densities");
                AssertRelative(expected, result[q], 1e-12, $"{rows}×{kinds} query {q}");
                Assert.Equal(result[q], kde.Pdf(query), 1e-12 * expected);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Pdf_is_zero_not_nan_when_every_term_underflows(string pathName)
    {
        var path = Enum.Parse<KdeSimdPath>(pathName);
        var data = new[] { 0.1, 0.0, 0.2, 1.0, 0.3, 0.0, 0.4, 1.0, 0.5, 0.0, 0.6, 1.0, 0.7, 0.0, 0.8, 1.0, 0.9, 0.0 };
        var columns = new[] { KdeColumn.Continuous(), KdeColumn.Categorical(2) };
        var kde = MultivariateKde.Fit(data, 9, columns);
        var result = new double[2];
        kde.PdfBatch([50.0, 0.0, -80.0, 1.0], 2, result, path);
        Assert.Equal([0.0, 0.0], result);
        Assert.Equal(0.0, StatsmodelsReference.Pdf(data, [false, true], kde.Bandwidths.ToArray(), [0, 2], true, [50.0, 0.0]));
    }

    [Fact]
    public void Negative_categorical_kernels_keep_their_sign_as_in_statsmodels()
    {
        // Levels 0 and 9 of a 10-choice hyperparameter: std 4.5, so h > 1 and 1 − h < 0.
        double[] data = [0, 9, 0, 9];
        var kde = MultivariateKde.Fit(data, 4, [KdeColumn.Categorical(10)]);
        var h = kde.Bandwidths[0];
        Assert.True(h > 1);
        var expected = ((2 * (1 - h)) + (2 * h / 9)) / 4;
        AssertRelative(expected, kde.Pdf([0.0]), 1e-14, "level 0");
        Assert.True(kde.Pdf([0.0]) < 0);
    }

    [Fact]
    public void Proposal_draws_in_BOHB_order_from_the_same_stream()
    {
        var c = KdeFixture.Get("mixed_ccuucu_n40_levels_2_3_4");
        var columns = c.Columns();
        var kde = MultivariateKde.Fit(c.Data, c.Rows, columns);
        var proposal = new double[c.Dims];
        var datum = kde.SampleProposal(3.0, new RandomSource(7UL), proposal);

        var rng = new RandomSource(7UL);
        Assert.Equal(datum, rng.Next(c.Rows));
        for (var j = 0; j < c.Dims; j++)
        {
            var m = c.Value(datum, j);
            var expected = columns[j].IsCategorical
                ? CategoricalProposal.Sample((int)m, kde.Bandwidths[j], columns[j].Levels, rng)
                : TruncatedNormal.Sample(m, 3.0 * kde.Bandwidths[j], 0, 1, rng);
            Assert.Equal(expected, proposal[j]);
            if (columns[j].IsCategorical)
            {
                Assert.InRange(proposal[j], 0, columns[j].Levels - 1);
                Assert.Equal(Math.Floor(proposal[j]), proposal[j]);
            }
            else
            {
                Assert.InRange(proposal[j], 0.0, 1.0);
            }
        }
    }

    [Fact]
    public void Fit_rejects_bad_input_with_messages_that_name_the_column()
    {
        var columns = new[] { KdeColumn.Continuous("lr"), KdeColumn.Categorical(3, "optimizer") };
        var nan = Assert.Throws<ArgumentException>(() => MultivariateKde.Fit([0.1, 0.0, double.NaN, 1.0], 2, columns));
        Assert.Contains("'lr'", nan.Message);
        Assert.Contains("KdeImputation", nan.Message);

        var level = Assert.Throws<ArgumentException>(() => MultivariateKde.Fit([0.1, 0.0, 0.2, 3.0], 2, columns));
        Assert.Contains("'optimizer'", level.Message);

        var fraction = Assert.Throws<ArgumentException>(() => MultivariateKde.Fit([0.1, 0.5, 0.2, 1.0], 2, columns));
        Assert.Contains("level indices", fraction.Message);

        Assert.Throws<ArgumentException>(() => MultivariateKde.Fit([0.1, 0.0, 0.2], 2, columns));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultivariateKde.Fit([], 0, columns));
        Assert.Throws<ArgumentException>(() => MultivariateKde.Fit([0.1, 0.0], 1, [KdeColumn.Continuous(), KdeColumn.Categorical(0, "empty")]));
        Assert.Throws<ArgumentException>(() => MultivariateKde.Fit([0.1, 0.0], 1, columns, new KdeOptions(MinBandwidth: -1)));

        var kde = MultivariateKde.Fit([0.1, 0.0, 0.2, 1.0], 2, columns);
        Assert.Throws<ArgumentException>(() => kde.Pdf([0.1]));
        Assert.Throws<ArgumentException>(() => kde.PdfBatch([0.1, 0.0, 0.2], 2, new double[2]));
        Assert.Throws<ArgumentException>(() => kde.PdfBatch([0.1, 0.0, 0.2, 1.0], 2, new double[1]));
    }

    private static double Phi(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    private static void AssertRelative(double expected, double actual, double tolerance, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual:R}");
            return;
        }

        var error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2})");
    }
}
