using HpBandSter.Orleans.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orleans.Hosting;

/// <summary>Adds <see cref="HpBandSterClient"/> to an Orleans client.</summary>
public static class HpBandSterClientBuilderExtensions
{
    /// <summary>Registers <see cref="HpBandSterClient"/> (start, watch, cancel runs and read their results). Idempotent.</summary>
    public static IClientBuilder AddHpBandSterClient(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<HpBandSterClient>();
        return builder;
    }
}
