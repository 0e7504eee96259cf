using System.Text.Json.Nodes;
using HpBandSter.Scheduling;
using HpBandSter.Spaces;

namespace HpBandSter.Sampling;

/// <summary>
/// HpBandSter's <c>RandomSampling</c>: every configuration is drawn from the prior; results are ignored.
/// The config_info is <c>{}</c>, as HpBandSter logs it for HyperBand and RandomSearch.
/// </summary>
public sealed class RandomSampling(ConfigurationSpace space, RandomSource random) : ConfigGenerator(space, random)
{
    /// <inheritdoc />
    public override SampledConfiguration GetConfig(double budget) => new(Space.Sample(Random), []);

    /// <inheritdoc />
    public override void NewResult(Observation observation, bool updateModel = true)
    {
    }
}
