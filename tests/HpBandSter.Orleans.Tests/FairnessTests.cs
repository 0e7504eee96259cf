using HpBandSter.Orleans.Runs;

namespace HpBandSter.Orleans.Tests;

[Collection(ClusterCollection.Name)]
public sealed class FairnessTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Runs_that_wait_for_slots_at_the_same_time_get_about_equal_shares()
    {
        var spec = new RunSpec { Objective = "counted", Optimizer = "randomsearch", MinBudget = 1, MaxBudget = 1, Iterations = 150, Seed = 1, SleepSeconds = 0.005 };
        var ids = new[] { "fair-a", "fair-b", "fair-c" };
        var started = await Task.WhenAll(ids.Select(id => fixture.Client.StartRunAsync(id, spec)));
        Assert.All(started, s => Assert.True(s.Accepted, s.Error));
        await Task.WhenAll(ids.Select(fixture.WaitAsync));

        // Evaluations take a few milliseconds: with zero-cost ones the latency of the calls (a run grain on this
        // silo answers faster than one on the other) would decide the shares, not the slot policy.
        // While every run still has work (from the last run's first start to the first run's last start), each
        // gets about a third of the evaluations started.
        var starts = TestObjectives.Starts.Where(ids.Contains).ToList();
        var from = ids.Max(id => starts.IndexOf(id));
        var to = ids.Min(id => starts.LastIndexOf(id));
        Assert.True(to - from > 200, $"the runs overlapped for {to - from} evaluations only");
        var window = starts.Skip(from).Take(to - from + 1).ToList();
        foreach (var id in ids)
        {
            var share = window.Count(s => s == id) / (double)window.Count;
            Assert.True(share is > 0.25 and < 0.42, $"{id} got {share:P1} of {window.Count} evaluations while all three ran: {string.Concat(window.Select(s => s[^1]))}");
        }
    }
}
