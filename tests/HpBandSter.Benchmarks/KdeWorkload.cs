using HpBandSter.Sampling.Kde;

namespace HpBandSter.Benchmarks;

/// <summary>
/// Synthetic BOHB model data: <c>n</c> observations split as BOHB splits them (good = best 15 %, bad = next 85 %,
/// each at least d + 1 rows), plus 64 proposals drawn from the good KDE.
/// </summary>
internal sealed class KdeWorkload
{
    public const int Candidates = 64;

    public KdeWorkload(string space, int n, ulong seed = 42)
    {
        Columns = space switch
        {
            // All continuous, as a 6-D Hartmann-like space.
            "6D" => Enumerable.Range(0, 6).Select(_ => KdeColumn.Continuous()).ToArray(),

            // Counting-ones: 8 binary categoricals, then 8 continuous.
            "16D" => Enumerable.Range(0, 16).Select(j => j < 8 ? KdeColumn.Categorical(2) : KdeColumn.Continuous()).ToArray(),
            _ => throw new ArgumentException($"Unknown space '{space}'; use 6D or 16D.", nameof(space)),
        };

        var d = Columns.Length;
        var rng = new RandomSource(seed);
        All = new double[n * d];
        var loss = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                All[(i * d) + j] = Columns[j].IsCategorical ? rng.Next(2) : rng.NextDouble();
            }
        }

        // Sort rows by a smooth loss so that good and bad differ, as in a real run.
        for (var i = 0; i < n; i++)
        {
            var row = All.AsSpan(i * d, d);
            var l = 0.0;
            for (var j = 0; j < d; j++)
            {
                l += Columns[j].IsCategorical ? -row[j] : (row[j] - 0.3) * (row[j] - 0.3);
            }

            loss[i] = l + (0.1 * rng.NextGaussian());
        }

        var order = Enumerable.Range(0, n).OrderBy(i => loss[i]).ToArray();
        var sorted = order.SelectMany(i => All.AsSpan(i * d, d).ToArray()).ToArray();
        var nGood = Math.Max(d + 1, 15 * n / 100);
        var nBad = Math.Min(n - nGood, Math.Max(d + 1, 85 * n / 100));
        Good = sorted.AsSpan(0, nGood * d).ToArray();
        Bad = sorted.AsSpan(nGood * d, nBad * d).ToArray();
        GoodRows = nGood;
        BadRows = nBad;
        GoodKde = MultivariateKde.Fit(Good, nGood, Columns);
        BadKde = MultivariateKde.Fit(Bad, nBad, Columns);
        CandidateBatch = new double[Candidates * d];
        for (var c = 0; c < Candidates; c++)
        {
            GoodKde.SampleProposal(3.0, rng, CandidateBatch.AsSpan(c * d, d));
        }
    }

    public KdeColumn[] Columns { get; }

    public double[] All { get; }

    public double[] Good { get; }

    public double[] Bad { get; }

    public int GoodRows { get; }

    public int BadRows { get; }

    public MultivariateKde GoodKde { get; }

    public MultivariateKde BadKde { get; }

    public double[] CandidateBatch { get; }
}
