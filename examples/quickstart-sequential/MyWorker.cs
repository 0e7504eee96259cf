using System.Text.Json.Nodes;
using HpBandSter.Orleans.Objectives;
using HpBandSter.Spaces;

namespace HpBandSter.Examples;

/// <summary>
/// HpBandSter's quick-start worker (<c>hpbandster.examples.commons.MyWorker</c>) in C#: one float <c>x</c> in [0, 1],
/// a loss of <c>x</c> plus noise that shrinks as 1/budget, and an optional sleep per evaluation to mimic real work.
/// </summary>
/// <param name="sleepInterval">How long each evaluation sleeps (HpBandSter's <c>sleep_interval</c>).</param>
internal sealed class MyWorker(TimeSpan sleepInterval) : IObjective
{
    private int _evaluations;

    /// <summary>HpBandSter's <c>worker.get_configspace()</c>: the search space runs use when they bring none.</summary>
    public static ConfigurationSpace GetConfigSpace() => new SearchSpaceBuilder()
        .Float("x", 0.0, 1.0)
        .Build();

    /// <summary>The space the silo advertises with this objective (<see cref="IObjective.SearchSpace"/>).</summary>
    public ConfigurationSpace? SearchSpace { get; } = GetConfigSpace();

    /// <summary>How many evaluations this instance has finished (in this process).</summary>
    public int Evaluations => Volatile.Read(ref _evaluations);

    /// <summary>HpBandSter's <c>compute(config, budget)</c>: the loss of one configuration on one budget.</summary>
    public static double Compute(Configuration config, double budget, Random random)
    {
        var x = config.GetDouble("x");
        var noisy = x + (NextGaussian(random) / budget);
        return Math.Clamp(noisy, x / 2, 1.5 * x);
    }

    /// <inheritdoc />
    public async ValueTask<ObjectiveResult> EvaluateAsync(Configuration configuration, double budget, ObjectiveContext context)
    {
        // Evaluations may run on several threads at once: each gets its own generator, seeded by the run's seed and
        // the job's id, so a seeded run draws the same noise whichever slot evaluates a job.
        var id = context.Job.Id;
        var random = new Random(unchecked((int)((context.Seed * 1_000_003) + (id.Iteration * 10_007) + (id.Stage * 101) + id.Index + (long)budget)));
        var loss = Compute(configuration, budget, random);
        if (sleepInterval > TimeSpan.Zero)
        {
            await Task.Delay(sleepInterval, context.CancellationToken);
        }

        Interlocked.Increment(ref _evaluations);
        return new ObjectiveResult(loss, new JsonObject { ["x"] = configuration.GetDouble("x") });
    }

    private static double NextGaussian(Random random)
    {
        // Box-Muller: two uniforms in (0, 1] give one standard normal.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
