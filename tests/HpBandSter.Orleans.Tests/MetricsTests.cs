using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HpBandSter.Orleans.Diagnostics;
using HpBandSter.Orleans.Runs;

namespace HpBandSter.Orleans.Tests;

/// <summary>The meter <c>HpBandSter.Orleans</c>: what a run and its worker report while it goes on.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_run_reports_started_and_finished_evaluations_recorded_results_and_ask_durations()
    {
        // Other tests of the collection run meanwhile: count only this run's optimizer and objective tags where they exist.
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == HpBandSterMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Add((instrument.Name, value, Tags(tags))));
        listener.Start();

        var spec = new RunSpec { Objective = "hartmann6", Optimizer = "h2bo", MinBudget = 9, MaxBudget = 243, Iterations = 2, Seed = 41 };
        var status = await fixture.RunToEndAsync("metrics-run", spec);
        listener.RecordObservableInstruments();

        double Sum(string name, Func<Dictionary<string, object?>, bool> where) =>
            measurements.Where(m => m.Instrument == name && where(m.Tags)).Sum(m => m.Value);
        var started = Sum("hpbandster.evaluations.started", t => Equals(t["objective"], "hartmann6"));
        var finished = Sum("hpbandster.evaluations.finished", t => Equals(t["objective"], "hartmann6") && Equals(t["outcome"], "completed"));
        var recorded = Sum("hpbandster.results.recorded", t => Equals(t["optimizer"], "h2bo"));
        var asks = measurements.Count(m => m.Instrument == "hpbandster.ask.duration" && Equals(m.Tags["optimizer"], "h2bo"));

        Assert.True(started >= status.Finished, $"started {started}, the run recorded {status.Finished}");
        Assert.True(finished >= status.Finished, $"finished {finished}, the run recorded {status.Finished}");
        Assert.True(recorded >= status.Finished, $"recorded {recorded}, the run recorded {status.Finished}");
        Assert.True(asks >= status.Finished, $"{asks} Ask durations for {status.Finished} results");
        Assert.All(measurements.Where(m => m.Instrument == "hpbandster.ask.duration"), m => Assert.True(m.Value >= 0));
        Assert.Contains(measurements, m => m.Instrument == "hpbandster.slots.busy");
        Assert.Contains(measurements, m => m.Instrument == "hpbandster.jobs.queued");
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal) { ["objective"] = null, ["optimizer"] = null, ["outcome"] = null };
        foreach (var (key, value) in tags)
        {
            result[key] = value;
        }

        return result;
    }
}
