using BenchmarkDotNet.Attributes;
using HpBandSter.Sampling.Kde;

namespace HpBandSter.Benchmarks;

/// <summary>The KDE work of one BOHB model refit and one model-based Ask, at growing numbers of observations.</summary>
[MemoryDiagnoser]
public class KdeBenchmarks
{
    private KdeWorkload _workload = null!;
    private readonly double[] _good = new double[KdeWorkload.Candidates];
    private readonly double[] _bad = new double[KdeWorkload.Candidates];
    private double[] _proposals = [];
    private RandomSource _rng = null!;

    /// <summary>6D: all continuous; 16D: 8 binary categorical + 8 continuous (counting-ones).</summary>
    [Params("6D", "16D")]
    public string Space { get; set; } = "6D";

    /// <summary>Observations on the model's budget.</summary>
    [Params(30, 100, 300, 1000, 3000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _workload = new KdeWorkload(Space, N);
        _proposals = new double[_workload.CandidateBatch.Length];
        _rng = new RandomSource(1UL);
    }

    /// <summary>A KDE fit (bandwidths, layout) on all N observations.</summary>
    [Benchmark]
    public MultivariateKde Fit() => MultivariateKde.Fit(_workload.All, N, _workload.Columns);

    /// <summary>BOHB's refit: good (15 %) and bad (85 %) KDEs.</summary>
    [Benchmark]
    public MultivariateKde Refit() =>
        MultivariateKde.Fit(_workload.Good, _workload.GoodRows, _workload.Columns) is var good
            ? MultivariateKde.Fit(_workload.Bad, _workload.BadRows, _workload.Columns)
            : good;

    /// <summary>64 candidates on the good KDE.</summary>
    [Benchmark]
    public double PdfGood64()
    {
        _workload.GoodKde.PdfBatch(_workload.CandidateBatch, KdeWorkload.Candidates, _good);
        return _good[0];
    }

    /// <summary>64 candidates on the bad KDE.</summary>
    [Benchmark]
    public double PdfBad64()
    {
        _workload.BadKde.PdfBatch(_workload.CandidateBatch, KdeWorkload.Candidates, _bad);
        return _bad[0];
    }

    /// <summary>The KDE part of a model-based Ask: 64 proposals, both pdfs, the best ratio.</summary>
    [Benchmark]
    public int AskKdePart()
    {
        var d = _workload.Columns.Length;
        for (var c = 0; c < KdeWorkload.Candidates; c++)
        {
            _workload.GoodKde.SampleProposal(3.0, _rng, _proposals.AsSpan(c * d, d));
        }

        _workload.GoodKde.PdfBatch(_proposals, KdeWorkload.Candidates, _good);
        _workload.BadKde.PdfBatch(_proposals, KdeWorkload.Candidates, _bad);
        var best = 0;
        var bestValue = double.PositiveInfinity;
        for (var c = 0; c < KdeWorkload.Candidates; c++)
        {
            var ratio = Math.Max(1e-32, _bad[c]) / Math.Max(_good[c], 1e-32);
            if (ratio < bestValue)
            {
                (best, bestValue) = (c, ratio);
            }
        }

        return best;
    }
}
