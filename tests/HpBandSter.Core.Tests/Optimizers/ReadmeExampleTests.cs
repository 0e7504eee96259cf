using HpBandSter.Optimizers;
using HpBandSter.Spaces;

namespace HpBandSter.Tests.Optimizers;

/// <summary>The README's library example, kept compiling and working.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void ReadmeLibraryExampleRuns()
    {
        var space = new SearchSpaceBuilder()
            .Float("lr", 1e-6, 1e-1, log: true)
            .Categorical("optimizer", "Adam", "SGD")
            .Float("sgd_momentum", 0.0, 0.99, defaultValue: 0.9)
            .Condition(Condition.Equals("sgd_momentum", "optimizer", "SGD"))
            .Integer("num_conv_layers", 1, 3)
            .Build();

        var optimizer = new Optimizer(new OptimizerSettings(OptimizerKind.Bohb, MinBudget: 1, MaxBudget: 9, Iterations: 8), space, seed: 42);
        var evaluations = 0;
        while (optimizer.Ask() is { Status: AskStatus.Job, Job: var job })
        {
            var loss = Train(job!.Config, job.Budget);
            optimizer.Tell(job.Key, JobOutcome.Success(loss));
            evaluations++;
        }

        Assert.True(optimizer.IsFinished);
        Assert.True(evaluations > 8);
    }

    private static double Train(Configuration config, double budget) =>
        Math.Abs(Math.Log10(config.GetDouble("lr")) + 3) + (config.GetString("optimizer") == "SGD" ? 0.1 : 0.0) + (1.0 / budget);
}
