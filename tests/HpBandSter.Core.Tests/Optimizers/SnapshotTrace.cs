using System.Globalization;
using HpBandSter.Optimizers;
using HpBandSter.Spaces;

namespace HpBandSter.Tests.Optimizers;

/// <summary>
/// Drives an optimizer to the end with up to <c>slots</c> jobs outstanding, telling them in a seeded shuffled order
/// (some crash), extending the run once it first finishes, and records every call and every answer. Snapshots are
/// taken at chosen points; <see cref="CheckRestoredFrom"/> restores one and replays the rest of the record into it,
/// asserting that every answer is the recorded one.
/// </summary>
internal sealed class SnapshotTrace
{
    private SnapshotTrace(Optimizer original)
    {
        Settings = original.Settings;
        Space = original.Space;
        Seed = original.Seed;
    }

    public OptimizerSettings Settings { get; }

    public ConfigurationSpace Space { get; }

    public long Seed { get; }

    /// <summary>The calls in order, each with the answer the original optimizer gave.</summary>
    public List<Step> Steps { get; } = [];

    /// <summary>Snapshots taken before step <c>Index</c>.</summary>
    public List<(int Index, string Text)> Snapshots { get; } = [];

    /// <summary>The snapshot of the original once the run was over.</summary>
    public string Final { get; private set; } = "";

    public abstract record Step;

    public sealed record AskStep(string Answer) : Step;

    public sealed record TellStep(JobKey Key, JobOutcome Outcome) : Step;

    public sealed record ExtendStep(int Additional) : Step;

    /// <summary>Runs <paramref name="optimizer"/> to the end, snapshotting at step 0, every <paramref name="every"/> steps and at the end.</summary>
    public static SnapshotTrace Record(
        Optimizer optimizer, Func<Job, JobOutcome> evaluate, int slots, long orderSeed, int every, int extendBy = 2, double crashRate = 0.05)
    {
        var trace = new SnapshotTrace(optimizer);
        var order = new RandomSource(orderSeed);
        var outstanding = new List<Job>();
        var extended = false;
        while (true)
        {
            if (trace.Steps.Count % every == 0)
            {
                trace.Snapshots.Add((trace.Steps.Count, optimizer.TakeSnapshot()));
            }

            if (outstanding.Count < slots)
            {
                var answer = optimizer.Ask();
                trace.Steps.Add(new AskStep(Describe(answer)));
                if (answer.Job is { } job)
                {
                    outstanding.Add(job);
                    continue;
                }

                if (answer.Status == AskStatus.Finished)
                {
                    Assert.Empty(outstanding);
                    if (extended || extendBy == 0)
                    {
                        break;
                    }

                    extended = true;
                    optimizer.ExtendIterations(extendBy);
                    trace.Steps.Add(new ExtendStep(extendBy));
                    continue;
                }

                Assert.NotEmpty(outstanding);
            }

            var pick = outstanding[order.Next(outstanding.Count)];
            outstanding.Remove(pick);
            var draw = order.NextDouble();
            var outcome = draw < crashRate / 2 ? JobOutcome.Failure("worker died")
                : draw < crashRate ? JobOutcome.Success(double.NaN)
                : evaluate(pick);
            optimizer.Tell(pick.Key, outcome);
            trace.Steps.Add(new TellStep(pick.Key, outcome));
        }

        trace.Final = optimizer.TakeSnapshot();
        trace.Snapshots.Add((trace.Steps.Count, trace.Final));
        return trace;
    }

    /// <summary>Jobs asked and not yet told before step <paramref name="index"/>.</summary>
    public int PendingAt(int index) =>
        Steps.Take(index).Count(s => s is AskStep a && a.Answer.Contains('@', StringComparison.Ordinal)) - Steps.Take(index).Count(s => s is TellStep);

    /// <summary>Restores every snapshot of <paramref name="sample"/> and checks it against the record and the later snapshots.</summary>
    public void CheckAll(IReadOnlyList<(int Index, string Text)> sample)
    {
        foreach (var (index, text) in sample)
        {
            CheckRestoredFrom(index, text, sample);
        }
    }

    /// <summary>
    /// At most <paramref name="count"/> of the snapshots, evenly spread, always with the first, the last and the
    /// first one taken after the run was extended.
    /// </summary>
    public IEnumerable<(int Index, string Text)> Sample(int count)
    {
        var extendAt = Steps.FindIndex(s => s is ExtendStep);
        var chosen = new SortedSet<int> { 0, Snapshots.Count - 1 };
        var afterExtend = Snapshots.FindIndex(p => extendAt >= 0 && p.Index > extendAt);
        if (afterExtend >= 0)
        {
            chosen.Add(afterExtend);
        }

        for (var i = 1; chosen.Count < Math.Min(count, Snapshots.Count); i++)
        {
            chosen.Add((int)((long)i * (Snapshots.Count - 1) / count));
        }

        return chosen.Select(i => Snapshots[i]);
    }

    /// <summary>
    /// Restores the snapshot taken before step <paramref name="index"/>, checks that its own snapshot is the same
    /// text, replays the remaining steps (every Ask must answer as recorded) and checks the final state.
    /// </summary>
    public void CheckRestoredFrom(int index, string snapshot) => CheckRestoredFrom(index, snapshot, []);

    /// <summary>
    /// As <see cref="CheckRestoredFrom(int, string)"/>, and at every later snapshot point in <paramref name="checkpoints"/>
    /// the restored optimizer's snapshot must be the original's text (the whole state is the same, not only the answers).
    /// </summary>
    public void CheckRestoredFrom(int index, string snapshot, IEnumerable<(int Index, string Text)> checkpoints)
    {
        var later = checkpoints.Where(c => c.Index > index).ToDictionary(c => c.Index, c => c.Text);
        var restored = Optimizer.FromSnapshot(Settings, Space, Seed, snapshot);
        Assert.Equal(snapshot, restored.TakeSnapshot());
        for (var i = index; i < Steps.Count; i++)
        {
            if (later.TryGetValue(i, out var expected) && expected != restored.TakeSnapshot())
            {
                Assert.Fail($"Restored from the snapshot before step {index}: before step {i} its snapshot differs from the original's.");
            }

            switch (Steps[i])
            {
                case AskStep ask:
                    var answer = Describe(restored.Ask());
                    if (answer != ask.Answer)
                    {
                        Assert.Fail($"Restored from the snapshot before step {index}: step {i} answers\n  {answer}\nbut the original answered\n  {ask.Answer}");
                    }

                    break;
                case TellStep tell:
                    restored.Tell(tell.Key, tell.Outcome);
                    break;
                case ExtendStep extend:
                    restored.ExtendIterations(extend.Additional);
                    break;
            }
        }

        Assert.True(restored.IsFinished);
        Assert.Equal(Final, restored.TakeSnapshot());
    }

    /// <summary>Everything an Ask answers: status, id, budget, whether new, typed configuration values, config info.</summary>
    public static string Describe(AskResult answer)
    {
        if (answer.Job is not { } job)
        {
            return answer.Status.ToString();
        }

        var config = string.Join(", ", job.Config.Select(kv => $"{kv.Key}={kv.Value.GetType().Name}:{Configuration.FormatValue(kv.Value)}"));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{job.Id} @ {job.Budget:R} new={job.IsNewConfig} {{{config}}} {job.ConfigInfo.ToJsonString()}");
    }
}
