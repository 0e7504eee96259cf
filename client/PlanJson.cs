using System.Text;
using System.Text.Json;
using HpBandSter.Scheduling;

namespace HpBandSter.Client;

/// <summary>The <c>plan --json</c> document: one object, budgets written as floats (<c>9.0</c>).</summary>
internal static class PlanJson
{
    /// <summary>Serializes the plan; <paramref name="optimizer"/> is the name the user chose.</summary>
    public static string Write(SchedulePlan plan, string optimizer)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var schedule = plan.Schedule;
            writer.WriteStartObject();
            writer.WriteString("optimizer", optimizer);
            WriteFloat(writer, "min_budget", schedule.MinBudget);
            WriteFloat(writer, "max_budget", schedule.MaxBudget);
            WriteFloat(writer, "eta", schedule.Eta);
            writer.WriteString("sizing", schedule.Sizing == BracketSizing.Ceil ? "ceil" : "floor");
            writer.WriteNumber("max_sh_iterations", schedule.MaxShIterations);
            if (plan.AssumesNoModel)
            {
                writer.WriteBoolean("assumes_no_model", true);
            }

            writer.WriteStartArray("budgets");
            foreach (var budget in plan.Budgets)
            {
                writer.WriteRawValue(PythonFloat.Format(budget));
            }

            writer.WriteEndArray();
            writer.WriteStartArray("iterations");
            for (var i = 0; i < plan.Iterations.Count; i++)
            {
                var bracket = plan.Iterations[i];
                writer.WriteStartObject();
                writer.WriteNumber("iteration", i);
                writer.WriteStartArray("stages");
                for (var stage = 0; stage < bracket.StageCount; stage++)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("configs", bracket.NumConfigs[stage]);
                    WriteFloat(writer, "budget", bracket.Budgets[stage]);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                WriteFloat(writer, "total_budget", bracket.TotalBudget);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteFloat(writer, "total_budget", plan.TotalBudget);
            WriteFloat(writer, "total_budget_full_evaluations", plan.TotalBudgetInFullEvaluations);
            writer.WriteNumber("total_evaluations", plan.TotalEvaluations);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteFloat(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(PythonFloat.Format(value));
    }
}
