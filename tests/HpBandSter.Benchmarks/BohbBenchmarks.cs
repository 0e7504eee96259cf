using BenchmarkDotNet.Attributes;
using HpBandSter.Objectives;
using HpBandSter.Sampling;
using HpBandSter.Scheduling;

namespace HpBandSter.Benchmarks;

/// <summary>
/// BOHB's whole model-based Ask (64 candidates, both densities, decoding to a configuration) and a refit of one
/// budget's model, with n observations on the hartmann6 (6-D) and countingones (16-D) spaces.
/// </summary>
[MemoryDiagnoser]
public class BohbBenchmarks
{
    private BohbGenerator _generator = null!;
    private double _budget;

    /// <summary>The objective whose space is used.</summary>
    [Params("hartmann6", "countingones")]
    public string Problem { get; set; } = "hartmann6";

    /// <summary>Observations on the model's budget.</summary>
    [Params(30, 100, 300, 1000, 3000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var objective = BenchmarkObjectives.Get(Problem);
        _budget = objective.MaxBudget;
        var rng = new RandomSource(7UL);
        _generator = new BohbGenerator(objective.Space, new RandomSource(1UL), new BohbSettings(RandomFraction: 0));
        for (var i = 0; i < N; i++)
        {
            var config = objective.Space.Sample(rng);
            _generator.NewResult(new Observation(config, _budget, objective.TrueLoss(config)), updateModel: false);
        }

        _generator.RefitAll();
        if (_generator.ModelBudgets.Count == 0)
        {
            throw new InvalidOperationException($"No model with {N} observations: the benchmark would not measure a model-based Ask.");
        }
    }

    /// <summary>One model-based proposal.</summary>
    [Benchmark]
    public SampledConfiguration Ask() => _generator.GetConfig(_budget);

    /// <summary>A refit of the budget's good and bad densities from all n observations.</summary>
    [Benchmark]
    public void Refit() => _generator.RefitAll();
}
