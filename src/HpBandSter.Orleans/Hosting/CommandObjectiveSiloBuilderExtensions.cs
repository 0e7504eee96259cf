using HpBandSter.Orleans.Objectives;

namespace Orleans.Hosting;

/// <summary>Registers external programs as objectives (command objectives).</summary>
public static class CommandObjectiveSiloBuilderExtensions
{
    /// <summary>
    /// Registers the program described by <paramref name="options"/> as the objective <paramref name="name"/>: one
    /// process per job, started without a shell; the job goes to it as JSON on stdin and in <c>job.json</c>, its result
    /// comes back as <c>{"loss": …, "info": …}</c> in <c>result.json</c> or on the last line of stdout. Runs name it
    /// like any other objective and cannot change the executable, arguments or environment.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is unusable (the message names it): no such executable, an unreadable search space, ...</exception>
    public static ISiloBuilder AddCommandObjective(this ISiloBuilder builder, string name, CommandObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);

        // Checked now, so a misconfigured silo fails when it is built rather than at its first job.
        var objective = CommandObjective.Create(name, options);
        return builder.AddObjective(name, _ => objective);
    }
}
