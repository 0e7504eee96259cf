using System.Globalization;
using HpBandSter.Logs;
using HpBandSter.Optimizers;
using HpBandSter.Results;
using HpBandSter.Sampling;
using HpBandSter.Scheduling;
using HpBandSter.Spaces;

namespace HpBandSter.Orleans.Runs;

/// <summary>
/// Checks a <see cref="RunSpec"/> and turns it into Core settings. Every message starts with the field it is about
/// (<c>MinBudget: …</c>) and says how to fix it. Clients call it before sending; the run grain calls it again.
/// </summary>
public static class RunSpecValidator
{
    /// <summary>The optimizer names a specification accepts.</summary>
    public static IReadOnlyList<string> OptimizerNames { get; } = ["bohb", "hyperband", "randomsearch", "h2bo"];

    /// <summary>The first problem with <paramref name="spec"/>, or null when it is valid (the objective's existence is checked by the run grain).</summary>
    public static string? FindError(RunSpec spec)
    {
        try
        {
            _ = ToSettings(spec);
            if (spec.SearchSpace is not null)
            {
                _ = ParseSpace(spec.SearchSpace);
            }

            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>The Core optimizer settings of a specification.</summary>
    /// <exception cref="ArgumentException">A field is invalid; the message names it.</exception>
    public static OptimizerSettings ToSettings(RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Objective))
        {
            Fail(nameof(RunSpec.Objective), "name the objective to evaluate (as registered on the silos, for example 'toy').");
        }

        var kind = spec.Optimizer?.ToLowerInvariant() switch
        {
            "bohb" => OptimizerKind.Bohb,
            "hyperband" => OptimizerKind.HyperBand,
            "randomsearch" => OptimizerKind.RandomSearch,
            "h2bo" => OptimizerKind.H2bo,
            _ => Fail<OptimizerKind>(nameof(RunSpec.Optimizer), $"unknown optimizer '{spec.Optimizer}'; use one of {string.Join(", ", OptimizerNames)}."),
        };
        var sizing = spec.BracketSizing?.ToLowerInvariant() switch
        {
            "floor" => BracketSizing.Floor,
            "ceil" => BracketSizing.Ceil,
            _ => Fail<BracketSizing>(nameof(RunSpec.BracketSizing), $"unknown bracket sizing '{spec.BracketSizing}'; use floor (HpBandSter) or ceil (the HyperBand paper)."),
        };
        if (spec.JobQueueMax < spec.JobQueueMin)
        {
            Fail(nameof(RunSpec.JobQueueMax), $"must be at least JobQueueMin ({spec.JobQueueMin}); got {spec.JobQueueMax}. HpBandSter's default is (-1, 0).");
        }

        if (!spec.DynamicQueueSize && spec.JobQueueMax < 1)
        {
            Fail(nameof(RunSpec.JobQueueMax), $"must be at least 1 when DynamicQueueSize is false (got {spec.JobQueueMax}), or no job would ever be asked for.");
        }

        if (spec.JobTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            Fail(nameof(RunSpec.JobTimeout), $"must be positive (got {timeout}); leave it unset for no limit.");
        }

        if (spec.RetryLimit < 0)
        {
            Fail(nameof(RunSpec.RetryLimit), $"must be 0 or more (got {spec.RetryLimit}).");
        }

        if (spec.MinSlots < 1)
        {
            Fail(nameof(RunSpec.MinSlots), $"must be at least 1 (got {spec.MinSlots}): the number of slots to wait for before the first job.");
        }

        if (spec.MinSlotsTimeout is { } slotsTimeout && slotsTimeout <= TimeSpan.Zero)
        {
            Fail(nameof(RunSpec.MinSlotsTimeout), $"must be positive (got {slotsTimeout}); leave it unset to wait without limit.");
        }

        if (!double.IsFinite(spec.SleepSeconds) || spec.SleepSeconds < 0)
        {
            Fail(nameof(RunSpec.SleepSeconds), $"must be a finite number of seconds, 0 or more (got {Text(spec.SleepSeconds)}).");
        }

        BohbSettings? model = null;
        if (spec.Model is { } m)
        {
            var defaults = kind == OptimizerKind.H2bo ? OptimizerSettings.H2boDefaults : new BohbSettings();
            model = new BohbSettings(
                m.MinPointsInModel ?? defaults.MinPointsInModel,
                m.TopNPercent ?? defaults.TopNPercent,
                m.NumSamples ?? defaults.NumSamples,
                m.RandomFraction ?? defaults.RandomFraction,
                m.BandwidthFactor ?? defaults.BandwidthFactor,
                m.MinBandwidth ?? defaults.MinBandwidth);
        }

        var settings = new OptimizerSettings(kind, spec.MinBudget, spec.MaxBudget, spec.Iterations, spec.Eta, sizing, model);
        try
        {
            settings.Validate();
        }
        catch (ArgumentException e)
        {
            var field = e.ParamName switch
            {
                "minBudget" => nameof(RunSpec.MinBudget),
                "maxBudget" => nameof(RunSpec.MaxBudget),
                "eta" => nameof(RunSpec.Eta),
                "Iterations" => nameof(RunSpec.Iterations),
                null => nameof(RunSpec),
                var other when other.Length > 0 && char.IsUpper(other[0]) => $"{nameof(RunSpec.Model)}.{other}",
                var other => other,
            };
            Fail(field, WithoutParameter(e));
        }

        return settings;
    }

    /// <summary>Parses the specification's search space.</summary>
    /// <exception cref="ArgumentException">The JSON is not a valid ConfigSpace space; the message says where.</exception>
    public static ConfigurationSpace ParseSpace(string json)
    {
        try
        {
            return ConfigurationSpace.FromJson(json);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return Fail<ConfigurationSpace>(nameof(RunSpec.SearchSpace), $"not a valid ConfigSpace JSON search space: {e.Message}");
        }
    }

    /// <summary>
    /// Reads the warm-start data for <paramref name="space"/>: the earlier run as HpBandSter's warm start sees it,
    /// every configuration renumbered into iteration -1 and re-timed to end at <paramref name="timeRef"/>; null
    /// without warm start.
    /// </summary>
    /// <exception cref="ArgumentException">The logs cannot be read, or a configuration does not fit the search space.</exception>
    public static WarmStartData? ReadWarmStart(WarmStartSpec? warmStart, ConfigurationSpace space, double timeRef = 0)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (warmStart is null)
        {
            return null;
        }

        const string field = nameof(RunSpec.WarmStart);
        OptimizationResult previous;
        try
        {
            previous = HpBandSterLogReader.Parse(warmStart.ConfigsJson, warmStart.ResultsJson, configsName: $"{warmStart.Source}: configs.json", resultsName: $"{warmStart.Source}: results.json").Result;
        }
        catch (Exception e) when (e is LogFormatException or InvalidDataException)
        {
            return Fail<WarmStartData>(field, e.Message);
        }

        foreach (var config in previous.Configs)
        {
            try
            {
                space.Validate(config.Config);
            }
            catch (ArgumentException e)
            {
                return Fail<WarmStartData>(field, $"configuration {config.Id} of '{warmStart.Source}' does not fit the run's search space ({WithoutParameter(e)}). Warm-start from a run over the same search space.");
            }
        }

        return WarmStartData.FromPreviousResult(previous, timeRef);
    }

    private static string WithoutParameter(ArgumentException e)
    {
        var message = e.Message;
        var suffix = $" (Parameter '{e.ParamName}')";
        var at = e.ParamName is null ? -1 : message.IndexOf(suffix, StringComparison.Ordinal);
        message = at >= 0 ? message[..at] : message;
        var actual = message.IndexOf("\nActual value", StringComparison.Ordinal);
        return actual >= 0 ? message[..actual].TrimEnd() : message;
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Fail(string field, string message) => throw new ArgumentException($"{field}: {message}", field);

    private static T Fail<T>(string field, string message) => throw new ArgumentException($"{field}: {message}", field);
}
