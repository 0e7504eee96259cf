using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using HpBandSter.Results;

namespace HpBandSter.Client.Analysis;

/// <summary>
/// Writes a result as CSV, one row per evaluation (run), in the order results.json lists them (by finish time).
/// </summary>
/// <remarks>
/// <para>Columns: <c>iteration, stage, index</c> (the config id), <c>budget</c>, <c>loss</c> (empty for a run without
/// a loss), <c>crashed</c> (<c>true</c> when the loss is missing or not finite, as HpBandSter's CRASHED status),
/// <c>error</c> (the exception text, empty if none), <c>submitted, started, finished</c> (absolute Unix seconds, as in
/// results.json), <c>model_based_pick</c> (<c>true</c>/<c>false</c>, empty when not recorded), <c>info</c> (the run's
/// info as compact JSON, empty when none), then one column per hyperparameter: the union over all configurations in
/// order of first appearance, empty where the hyperparameter is inactive. A hyperparameter whose name is one of the
/// fixed columns is written as <c>config.NAME</c>.</para>
/// <para>RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote, CR or LF quoted with quotes doubled.
/// Numbers use the invariant culture; floats are Python's repr (shortest round-trip: <c>0.1</c>, <c>1e-05</c>,
/// <c>100.0</c>; <c>inf</c> is <c>Infinity</c>), booleans <c>true</c>/<c>false</c>.</para>
/// </remarks>
internal static class CsvExport
{
    /// <summary>The file name written into the output folder.</summary>
    public const string FileName = "results.csv";

    private static readonly JsonSerializerOptions InfoOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static readonly string[] FixedColumns =
        ["iteration", "stage", "index", "budget", "loss", "crashed", "error", "submitted", "started", "finished", "model_based_pick", "info"];

    public static string Write(OptimizationResult result)
    {
        var hyperparameters = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in result.Configs)
        {
            foreach (var name in config.Config.Keys)
            {
                if (seen.Add(name))
                {
                    hyperparameters.Add(name);
                }
            }
        }

        var sb = new StringBuilder();
        var header = FixedColumns.Concat(hyperparameters.Select(h => FixedColumns.Contains(h, StringComparer.Ordinal) ? "config." + h : h));
        AppendRow(sb, header);
        var timeRef = result.Settings.TimeRef;
        foreach (var run in result.GetAllRuns().OrderBy(r => r.TimeStamps.Finished))
        {
            var stamps = timeRef == 0 ? run.TimeStamps : run.TimeStamps.Shift(timeRef);
            var config = result[run.ConfigId];
            var row = new List<string>(FixedColumns.Length + hyperparameters.Count)
            {
                Int(run.ConfigId.Iteration),
                Int(run.ConfigId.Stage),
                Int(run.ConfigId.Index),
                PythonFloat.Format(run.Budget),
                run.Loss is { } loss ? PythonFloat.Format(loss) : string.Empty,
                Bool(run.IsCrashed),
                run.ErrorLogs ?? string.Empty,
                PythonFloat.Format(stamps.Submitted),
                PythonFloat.Format(stamps.Started),
                PythonFloat.Format(stamps.Finished),
                config.ModelBasedPick is { } pick ? Bool(pick) : string.Empty,
                run.Info is null ? string.Empty : run.Info.ToJsonString(InfoOptions),
            };
            foreach (var name in hyperparameters)
            {
                row.Add(config.Config.TryGetValue(name, out var value) ? Value(value) : string.Empty);
            }

            AppendRow(sb, row);
        }

        return sb.ToString();
    }

    private static string Value(object value) => value switch
    {
        double d => PythonFloat.Format(d),
        long l => Int(l),
        bool b => Bool(b),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static void AppendRow(StringBuilder sb, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                sb.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                sb.Append(field);
            }
        }

        sb.Append("\r\n");
    }
}
