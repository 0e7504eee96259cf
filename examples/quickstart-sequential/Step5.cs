using System.Globalization;
using HpBandSter.Results;

namespace HpBandSter.Examples;

/// <summary>HpBandSter's "Step 5: Analysis": the incumbent and the counts of configurations, runs and budget.</summary>
internal static class Step5
{
    /// <summary>Writes the incumbent's id and configuration, the number of configurations and runs, and the total budget in full evaluations.</summary>
    public static void Print(OptimizationResult result, TextWriter output)
    {
        // HpBandSter: incumbent = res.get_incumbent_id(); id2config[incumbent]['config']
        if (result.GetIncumbentRun() is { } run)
        {
            output.WriteLine($"Best found configuration: {result[run.ConfigId].Config}");
            output.WriteLine($"  config id {run.ConfigId}, loss {(run.Loss ?? double.NaN).ToString("R", CultureInfo.InvariantCulture)} on budget {run.Budget.ToString(CultureInfo.InvariantCulture)}");
        }
        else
        {
            output.WriteLine("No configuration finished on the max budget: there is no incumbent.");
        }

        output.WriteLine($"A total of {result.ConfigCount} unique configurations were sampled.");
        output.WriteLine($"A total of {result.RunCount} runs were executed.");
        output.WriteLine($"Total budget corresponds to {result.FullEvaluations.ToString("0.0", CultureInfo.InvariantCulture)} full function evaluations.");
    }
}
