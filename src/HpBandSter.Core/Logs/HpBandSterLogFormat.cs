using System.Text;
using HpBandSter.Results;

namespace HpBandSter.Logs;

/// <summary>Formats single log lines exactly as HpBandSter's <c>json_result_logger</c> writes them (without the newline).</summary>
internal static class HpBandSterLogFormat
{
    /// <summary><c>[config_id, config, config_info]</c>.</summary>
    public static string ConfigLine(ConfigRecord record)
    {
        var sb = new StringBuilder(256);
        sb.Append('[');
        AppendId(sb, record.Id);
        sb.Append(", ");
        PythonJson.WriteConfiguration(sb, record.Config);
        sb.Append(", ");
        PythonJson.Write(sb, record.Info);
        sb.Append(']');
        return sb.ToString();
    }

    /// <summary>
    /// <c>[config_id, budget, {"submitted": t, "started": t, "finished": t}, result, exception]</c>, where result is
    /// <c>null</c> when the run has neither a loss nor info, and <c>{"loss": loss, "info": info}</c> otherwise.
    /// </summary>
    public static string ResultLine(Run run)
    {
        var sb = new StringBuilder(256);
        sb.Append('[');
        AppendId(sb, run.ConfigId);
        sb.Append(", ").Append(PythonJson.FormatFloat(run.Budget));
        sb.Append(", {\"submitted\": ").Append(PythonJson.FormatFloat(run.TimeStamps.Submitted))
          .Append(", \"started\": ").Append(PythonJson.FormatFloat(run.TimeStamps.Started))
          .Append(", \"finished\": ").Append(PythonJson.FormatFloat(run.TimeStamps.Finished))
          .Append("}, ");
        if (run.Loss is null && run.Info is null)
        {
            sb.Append("null");
        }
        else
        {
            sb.Append("{\"loss\": ").Append(run.Loss is { } loss ? PythonJson.FormatFloat(loss) : "null")
              .Append(", \"info\": ");
            PythonJson.Write(sb, run.Info);
            sb.Append('}');
        }

        sb.Append(", ");
        PythonJson.WriteScalar(sb, run.ErrorLogs);
        sb.Append(']');
        return sb.ToString();
    }

    // ConfigId.ToString is Python's list form, "[0, 0, 1]", in the invariant culture.
    private static void AppendId(StringBuilder sb, ConfigId id) => sb.Append(id.ToString());
}
