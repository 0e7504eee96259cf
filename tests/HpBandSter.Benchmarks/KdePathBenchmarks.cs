using BenchmarkDotNet.Attributes;
using HpBandSter.Sampling.Kde;

namespace HpBandSter.Benchmarks;

/// <summary>The bad-KDE evaluation of 64 candidates on each SIMD path (to choose the default path on new hardware).</summary>
public class KdePathBenchmarks
{
    private KdeWorkload _workload = null!;
    private readonly double[] _result = new double[KdeWorkload.Candidates];
    private KdeSimdPath _path;

    /// <summary>6D or 16D (see <see cref="KdeBenchmarks.Space"/>).</summary>
    [Params("6D", "16D")]
    public string Space { get; set; } = "6D";

    /// <summary>Observations on the model's budget.</summary>
    [Params(300, 3000)]
    public int N { get; set; }

    /// <summary>Vector512, Vector256 or Scalar.</summary>
    [Params("Vector512", "Vector256", "Scalar")]
    public string Path { get; set; } = "Vector512";

    [GlobalSetup]
    public void Setup()
    {
        _workload = new KdeWorkload(Space, N);
        _path = Enum.Parse<KdeSimdPath>(Path);
    }

    /// <summary>64 candidates on the bad KDE.</summary>
    [Benchmark]
    public double PdfBad64()
    {
        _workload.BadKde.PdfBatch(_workload.CandidateBatch, KdeWorkload.Candidates, _result, _path);
        return _result[0];
    }
}
