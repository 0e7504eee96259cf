namespace HpBandSter.Results;

/// <summary>How the configurations of a result were chosen, from their <c>model_based_pick</c> flag.</summary>
/// <param name="ModelBased">Configurations proposed by the model (<c>model_based_pick: true</c>).</param>
/// <param name="Random">Configurations sampled at random (<c>model_based_pick: false</c>).</param>
/// <param name="Unknown">Configurations without the flag (random-sampling optimizers, legacy logs).</param>
public readonly record struct PickCounts(int ModelBased, int Random, int Unknown);
