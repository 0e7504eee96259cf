using HpBandSter.Objectives;
using HpBandSter.Optimizers;

namespace HpBandSter.Tests.Optimizers;

/// <summary>Drives an optimizer to the end against a benchmark objective, recording every Ask and Tell.</summary>
internal static class OptimizerDriver
{
    public sealed record Event(bool IsAsk, JobKey Key, JobOutcome? Outcome);

    /// <summary>
    /// Keeps up to <paramref name="slots"/> jobs outstanding and completes them in an order drawn from
    /// <paramref name="orderSeed"/> (slots = 1 is sequential). Returns the event log.
    /// </summary>
    public static List<Event> Run(Optimizer optimizer, BenchmarkObjective objective, int slots = 1, long orderSeed = 0, int? stopAfterEvents = null, Func<Job, JobOutcome>? evaluate = null)
    {
        var order = new RandomSource(orderSeed);
        var outstanding = new List<Job>();
        var events = new List<Event>();
        evaluate ??= job => Evaluate(objective, optimizer.Seed, job);
        while (stopAfterEvents is null || events.Count < stopAfterEvents)
        {
            if (outstanding.Count < slots)
            {
                var answer = optimizer.Ask();
                if (answer.Status == AskStatus.Job)
                {
                    outstanding.Add(answer.Job!);
                    events.Add(new Event(true, answer.Job!.Key, null));
                    continue;
                }

                if (answer.Status == AskStatus.Finished)
                {
                    Assert.Empty(outstanding);
                    break;
                }

                Assert.NotEmpty(outstanding); // "wait" with nothing outstanding would be a deadlock
            }

            var pick = outstanding[order.Next(outstanding.Count)];
            outstanding.Remove(pick);
            var outcome = evaluate(pick);
            optimizer.Tell(pick.Key, outcome);
            events.Add(new Event(false, pick.Key, outcome));
        }

        return events;
    }

    public static JobOutcome Evaluate(BenchmarkObjective objective, long seed, Job job)
    {
        var result = objective.Evaluate(job.Config, job.Budget, BenchmarkObjective.NoiseSource(seed, job.Id, job.Budget));
        return JobOutcome.Success(result.Loss, result.Info);
    }

    /// <summary>Replays a recorded event log into a fresh optimizer.</summary>
    public static void Replay(Optimizer optimizer, IEnumerable<Event> events)
    {
        foreach (var e in events)
        {
            if (e.IsAsk)
            {
                optimizer.ReplayAsk(e.Key);
            }
            else
            {
                optimizer.Tell(e.Key, e.Outcome!);
            }
        }
    }
}
