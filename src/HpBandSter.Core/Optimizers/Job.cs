using System.Text.Json.Nodes;
using HpBandSter.Spaces;

namespace HpBandSter.Optimizers;

/// <summary>An evaluation the optimizer wants: configuration <see cref="Id"/> on <see cref="Budget"/>.</summary>
/// <param name="Id">HpBandSter's config id.</param>
/// <param name="Config">The configuration (active hyperparameters only).</param>
/// <param name="Budget">The budget to evaluate it on.</param>
/// <param name="IsNewConfig">True the first time this configuration is handed out (HpBandSter logs it to configs.json then).</param>
/// <param name="ConfigInfo">HpBandSter's config_info (<c>{"model_based_pick": ...}</c> for BOHB, <c>{}</c> for random sampling).</param>
public sealed record Job(ConfigId Id, Configuration Config, double Budget, bool IsNewConfig, JsonObject ConfigInfo)
{
    /// <summary>The key a result is told under.</summary>
    public JobKey Key => new(Id, Budget);
}
