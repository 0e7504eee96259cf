namespace HpBandSter.Logs;

/// <summary>The file names of HpBandSter's live logs.</summary>
public static class HpBandSterLogFiles
{
    /// <summary>One line per sampled configuration: <c>[config_id, config, config_info]</c>.</summary>
    public const string Configs = "configs.json";

    /// <summary>One line per finished job: <c>[config_id, budget, time_stamps, result, exception]</c>.</summary>
    public const string Results = "results.json";

    /// <summary>The search space in ConfigSpace's JSON format (a convention of CAVE/DeepCAVE; HpBandSter itself does not write it).</summary>
    public const string ConfigSpace = "configspace.json";
}
