using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HpBandSter.Objectives;
using HpBandSter.Optimizers;
using HpBandSter.Sampling;
using HpBandSter.Scheduling;
using HpBandSter.Snapshots;
using HpBandSter.Spaces;
using HpBandSter.Tests.Spaces;
using Xunit.Abstractions;

namespace HpBandSter.Tests.Optimizers;

public sealed class SnapshotTests(ITestOutputHelper output)
{
    public static TheoryData<OptimizerKind, string, long> KindsObjectivesSeeds()
    {
        var data = new TheoryData<OptimizerKind, string, long>();
        foreach (var kind in Enum.GetValues<OptimizerKind>())
        {
            foreach (var objective in BenchmarkObjectives.All)
            {
                foreach (var seed in new long[] { 1, 42, -7 })
                {
                    data.Add(kind, objective.Name, seed);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsObjectivesSeeds))]
    public void RestoredOptimizerContinuesExactlyAsTheOriginal(OptimizerKind kind, string objectiveName, long seed)
    {
        var objective = BenchmarkObjectives.Get(objectiveName);
        // countingones has five budgets (bracket 0 alone is 121 evaluations): fewer iterations keep the test fast.
        var iterations = kind == OptimizerKind.RandomSearch ? 12 : objective.Name == "countingones" ? 3 : 6;
        var optimizer = new Optimizer(new OptimizerSettings(kind, objective.MinBudget, objective.MaxBudget, iterations), objective.Space, seed);
        var slots = 1 + (int)Math.Abs(seed % 4); // 2, 3 and 4 jobs outstanding
        var trace = SnapshotTrace.Record(optimizer, job => OptimizerDriver.Evaluate(objective, seed, job), slots, orderSeed: seed * 31, every: 7);

        Assert.Contains(trace.Steps, s => s is SnapshotTrace.ExtendStep);
        Assert.True(trace.Snapshots.Count >= 8, $"only {trace.Snapshots.Count} snapshots");
        var sample = trace.Sample(6).ToList();
        Assert.Contains(sample, p => trace.PendingAt(p.Index) > 1);
        trace.CheckAll(sample);

        if (kind is OptimizerKind.Bohb or OptimizerKind.H2bo)
        {
            // The runs are long enough for the model to be used, so the test covers restored models.
            Assert.Contains("\"fitRandom\"", trace.Final);
            Assert.Contains(trace.Steps, s => s is SnapshotTrace.AskStep a && a.Answer.Contains("\"model_based_pick\":true", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Bohb, 3)]
    [InlineData(OptimizerKind.H2bo, 5)]
    [InlineData(OptimizerKind.HyperBand, 8)]
    public void ConditionalSpaceWithImputedModelsRestoresExactly(OptimizerKind kind, long seed)
    {
        // Inactive hyperparameters are NaN in the model rows and the fits impute them with random draws: the
        // restored model must be refitted from the same stream position.
        var space = TestSpaces.Mnist();
        var optimizer = new Optimizer(new OptimizerSettings(kind, 1, 27, 10), space, seed);
        var trace = SnapshotTrace.Record(optimizer, job => JobOutcome.Success(SyntheticLoss(job)), slots: 3, orderSeed: seed, every: 5);
        trace.CheckAll(trace.Sample(8).ToList());

        if (kind != OptimizerKind.HyperBand)
        {
            Assert.Contains("\"NaN\"", trace.Final); // inactive entries of the model rows
            Assert.Contains("\"fitRandom\"", trace.Final);
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Bohb)]
    [InlineData(OptimizerKind.H2bo)]
    [InlineData(OptimizerKind.RandomSearch)]
    public void EveryValueTypeAndForbiddenFallbacksRestoreExactly(OptimizerKind kind)
    {
        // long, double, bool and string choices, ordinals, constants, normal hyperparameters without bounds.
        var space = TestSpaces.Everything();
        var optimizer = new Optimizer(new OptimizerSettings(kind, 1, 9, 8, Model: new BohbSettings(MinPointsInModel: 4)), space, 11);
        var trace = SnapshotTrace.Record(optimizer, job => JobOutcome.Success(SyntheticLoss(job)), slots: 2, orderSeed: 5, every: 5);
        trace.CheckAll(trace.Sample(8).ToList());
    }

    [Theory]
    [InlineData(OptimizerKind.Bohb, 3)]
    [InlineData(OptimizerKind.H2bo, 5)]
    public void RefittedModelsAreIdenticalToTheOriginals(OptimizerKind kind, long seed)
    {
        // The models are not in the snapshot: they are refitted from the observations at the recorded stream
        // position. Every data value (imputed ones included), bandwidth and density value must be the same.
        var space = TestSpaces.Mnist();
        var settings = new OptimizerSettings(kind, 1, 27, 10);
        var optimizer = new Optimizer(settings, space, seed);
        var checkedModels = 0;
        for (var round = 0; round < 6; round++)
        {
            OptimizerDriver.Run(optimizer, new ToyObjective(), slots: 1, orderSeed: round, stopAfterEvents: 60,
                evaluate: job => JobOutcome.Success(SyntheticLoss(job)));
            var restored = Optimizer.FromSnapshot(settings, space, seed, optimizer.TakeSnapshot());
            var original = ModelsOf(optimizer.Generator);
            var copy = ModelsOf(restored.Generator);
            Assert.Equal(original.Keys, copy.Keys);
            foreach (var (budget, model) in original)
            {
                AssertSameKde(model.Good, copy[budget].Good);
                AssertSameKde(model.Bad, copy[budget].Bad);
                checkedModels++;
            }
        }

        Assert.True(checkedModels >= 3, $"only {checkedModels} models compared");

        static IReadOnlyDictionary<double, GoodBadModel> ModelsOf(ConfigGenerator generator) => generator switch
        {
            BohbGenerator b => b.Models,
            H2boGenerator h => h.Models,
            _ => throw new InvalidOperationException(),
        };

        static void AssertSameKde(Sampling.Kde.MultivariateKde a, Sampling.Kde.MultivariateKde b)
        {
            Assert.Equal(a.Count, b.Count);
            Assert.Equal(a.Bandwidths.Select(BitConverter.DoubleToInt64Bits), b.Bandwidths.Select(BitConverter.DoubleToInt64Bits));
            for (var r = 0; r < a.Count; r++)
            {
                for (var c = 0; c < a.Dimensions; c++)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(a.GetValue(r, c)), BitConverter.DoubleToInt64Bits(b.GetValue(r, c)));
                }
            }

            var rng = new RandomSource(7);
            var x = new double[a.Dimensions];
            for (var i = 0; i < 20; i++)
            {
                for (var c = 0; c < x.Length; c++)
                {
                    x[c] = rng.NextDouble();
                }

                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Pdf(x)), BitConverter.DoubleToInt64Bits(b.Pdf(x)));
            }
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Bohb)]
    [InlineData(OptimizerKind.H2bo)]
    public void WarmStartObservationsAreInTheSnapshot(OptimizerKind kind)
    {
        var objective = new Hartmann6Objective();
        var settings = new OptimizerSettings(kind, objective.MinBudget, objective.MaxBudget, 4);
        var earlier = new Optimizer(settings, objective.Space, 99);
        var observations = new List<Observation>();
        var jobs = new Dictionary<JobKey, Job>();
        foreach (var e in OptimizerDriver.Run(earlier, objective, slots: 2, orderSeed: 1, evaluate: job =>
        {
            jobs[job.Key] = job;
            return OptimizerDriver.Evaluate(objective, 99, job);
        }))
        {
            if (!e.IsAsk)
            {
                observations.Add(new Observation(jobs[e.Key].Config, e.Key.Budget, e.Outcome!.Loss));
            }
        }

        var warm = new Optimizer(settings, objective.Space, 3, observations);
        var cold = new Optimizer(settings, objective.Space, 3);
        Assert.NotEqual(cold.TakeSnapshot(), warm.TakeSnapshot());

        var trace = SnapshotTrace.Record(warm, job => OptimizerDriver.Evaluate(objective, 3, job), slots: 3, orderSeed: 17, every: 5);
        Assert.Equal(0, trace.Snapshots[0].Index);
        trace.CheckAll(trace.Sample(8).ToList());

        // The first asks already use the warm-start model, and the restored optimizer makes them too.
        Assert.Contains(trace.Steps.Take(40), s => s is SnapshotTrace.AskStep a && a.Answer.Contains("\"model_based_pick\":true", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(OptimizerKind.Bohb)]
    [InlineData(OptimizerKind.H2bo)]
    [InlineData(OptimizerKind.HyperBand)]
    [InlineData(OptimizerKind.RandomSearch)]
    public void HandedOutJobsAreReadBackAsTheyWereAsked(OptimizerKind kind)
    {
        var objective = new BraninObjective();
        var settings = new OptimizerSettings(kind, objective.MinBudget, objective.MaxBudget, kind == OptimizerKind.RandomSearch ? 100 : 5);
        var optimizer = new Optimizer(settings, objective.Space, 12);
        var asked = new List<Job>();
        OptimizerDriver.Run(optimizer, objective, slots: 3, orderSeed: 8, stopAfterEvents: 150, evaluate: job =>
        {
            asked.Add(job);
            return OptimizerDriver.Evaluate(objective, 12, job);
        });
        asked.AddRange(optimizer.PendingJobs.Select(k => optimizer.HandedOutJob(k)).Where(j => !asked.Any(a => a.Key == j.Key)));
        Assert.NotEmpty(optimizer.PendingJobs);
        Assert.True(kind == OptimizerKind.RandomSearch || asked.Any(j => !j.IsNewConfig), "no promoted job was asked");

        var restored = Optimizer.FromSnapshot(settings, objective.Space, 12, optimizer.TakeSnapshot());
        foreach (var job in asked)
        {
            var expected = SnapshotTrace.Describe(new AskResult(AskStatus.Job, job));
            Assert.Equal(expected, SnapshotTrace.Describe(new AskResult(AskStatus.Job, optimizer.HandedOutJob(job.Key))));
            Assert.Equal(expected, SnapshotTrace.Describe(new AskResult(AskStatus.Job, restored.HandedOutJob(job.Key))));
        }

        Assert.Throws<ArgumentException>(() => optimizer.HandedOutJob(new JobKey(new ConfigId(99, 0, 0), 9)));
        Assert.Throws<ArgumentException>(() => optimizer.HandedOutJob(new JobKey(asked[0].Id, 12345)));
    }

    [Fact]
    public void ReadingPropertiesDoesNotChangeTheSnapshot()
    {
        var objective = new ToyObjective();
        var settings = new OptimizerSettings(OptimizerKind.Bohb, objective.MinBudget, objective.MaxBudget, 3);
        var optimizer = new Optimizer(settings, objective.Space, 2);
        OptimizerDriver.Run(optimizer, objective, slots: 4, orderSeed: 2, stopAfterEvents: 130);
        var before = optimizer.TakeSnapshot();
        _ = optimizer.IsFinished; // advances the shortcut past finished iterations
        _ = optimizer.PendingJobs.Count;
        _ = optimizer.RandomState;
        Assert.Equal(before, optimizer.TakeSnapshot());
    }

    [Fact]
    public void SnapshotAfterExtendingRestoresThePlannedIterations()
    {
        var objective = new ToyObjective();
        var settings = new OptimizerSettings(OptimizerKind.HyperBand, objective.MinBudget, objective.MaxBudget, 2);
        var optimizer = new Optimizer(settings, objective.Space, 4);
        OptimizerDriver.Run(optimizer, objective, slots: 2, orderSeed: 2);
        optimizer.ExtendIterations(3);
        var restored = Optimizer.FromSnapshot(settings, objective.Space, 4, optimizer.TakeSnapshot());
        Assert.Equal(5, restored.PlannedIterations);
        Assert.False(restored.IsFinished);
        Assert.Equal(optimizer.Iterations.Count, restored.Iterations.Count);
        Assert.Equal(SnapshotTrace.Describe(optimizer.Ask()), SnapshotTrace.Describe(restored.Ask()));
    }

    [Fact]
    public void RestoredOptimizerExposesTheSameProgress()
    {
        var objective = new BraninObjective();
        var settings = new OptimizerSettings(OptimizerKind.Bohb, objective.MinBudget, objective.MaxBudget, 4);
        var optimizer = new Optimizer(settings, objective.Space, 8);
        OptimizerDriver.Run(optimizer, objective, slots: 4, orderSeed: 6, stopAfterEvents: 90);
        var restored = Optimizer.FromSnapshot(settings, objective.Space, 8, optimizer.TakeSnapshot());

        Assert.Equal(optimizer.RandomState, restored.RandomState);
        Assert.Equal(optimizer.PendingJobs.ToHashSet(), restored.PendingJobs.ToHashSet()); // the order is a dictionary's, unspecified
        Assert.Equal(optimizer.PendingCount, restored.PendingCount);
        Assert.Equal(optimizer.Generator.LargestBudgetWithModel, restored.Generator.LargestBudgetWithModel);
        Assert.Equal(((BohbGenerator)optimizer.Generator).ModelBudgets, ((BohbGenerator)restored.Generator).ModelBudgets);
        Assert.Equal(optimizer.Iterations.Count, restored.Iterations.Count);
        for (var i = 0; i < optimizer.Iterations.Count; i++)
        {
            var (a, b) = (optimizer.Iterations[i], restored.Iterations[i]);
            Assert.Equal(a.Plan, b.Plan);
            Assert.Equal(a.CurrentStage, b.CurrentStage);
            Assert.Equal(a.IsFinished, b.IsFinished);
            Assert.Equal(a.NumRunning, b.NumRunning);
            Assert.Equal(a.ActualNumConfigs, b.ActualNumConfigs);
            Assert.Equal(a.Data.Keys, b.Data.Keys);
            foreach (var (id, datum) in a.Data)
            {
                var other = b.Data[id];
                Assert.Equal(datum.Config, other.Config);
                Assert.Equal(datum.Info.ToJsonString(), other.Info.ToJsonString());
                Assert.Equal(datum.Status, other.Status);
                Assert.Equal(datum.Budget, other.Budget);
                Assert.Equal(datum.Results, other.Results);
            }
        }
    }

    [Fact]
    public void DoublesRoundTripBitForBit()
    {
        var rng = new RandomSource(123);
        var values = new List<double>
        {
            0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1.0, 0.1, 1e-300, 1.7976931348623157e308,
            2.2250738585072014e-308, 2.225073858507201e-308, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.0 / 3.0,
        };
        for (var i = 0; i < 20_000; i++)
        {
            values.Add(BitConverter.UInt64BitsToDouble(rng.NextUInt64()));
            values.Add(rng.NextDouble() * Math.Pow(10, rng.Next(-30, 30)));
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            SnapshotJson.WriteDoubles(w, "values", values);
            w.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var back = SnapshotJson.ReadDoubles(document.RootElement.GetProperty("values"));
        Assert.Equal(values.Count, back.Count);
        for (var i = 0; i < values.Count; i++)
        {
            if (double.IsNaN(values[i]))
            {
                Assert.True(double.IsNaN(back[i]));
            }
            else
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(values[i]), BitConverter.DoubleToInt64Bits(back[i]));
            }
        }
    }

    [Fact]
    public void ConfigurationValuesKeepTheirTypes()
    {
        var config = new Configuration(new Dictionary<string, object>
        {
            ["whole_double"] = 1.0,
            ["negative_zero"] = -0.0,
            ["big_double"] = 1e22,
            ["small_double"] = 1.5e-7,
            ["nan"] = double.NaN,
            ["inf"] = double.NegativeInfinity,
            ["long"] = 3L,
            ["long_max"] = long.MaxValue,
            ["bool"] = true,
            ["string_nan"] = "NaN",
            ["string_number"] = "1.0",
            ["unicode"] = "Grüße <&> \"q\"",
        });
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            SnapshotJson.WriteConfiguration(w, config);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var back = SnapshotJson.ReadConfiguration(document.RootElement);
        Assert.Equal(config.Keys, back.Keys);
        foreach (var (name, value) in config)
        {
            Assert.Equal(value.GetType(), back[name].GetType());
            if (value is double d)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)back[name]));
            }
            else
            {
                Assert.Equal(value, back[name]);
            }
        }
    }

    [Fact]
    public void CorruptSnapshotsAreRejectedWithAClearMessage()
    {
        var (settings, space, snapshot) = MidRunSnapshot();

        AssertRejected("corrupt", "");
        AssertRejected("corrupt", "{");
        AssertRejected("corrupt", "[1, 2]");
        AssertRejected("corrupt", snapshot[..(snapshot.Length / 2)]);
        AssertRejected("no \"format\"", Edit(snapshot, o => o.Remove("format")));
        AssertRejected("format 2", Edit(snapshot, o => o["format"] = 2));
        AssertRejected("format 1.5", Edit(snapshot, o => o["format"] = 1.5));
        AssertRejected("'iterations' is missing", Edit(snapshot, o => o.Remove("iterations")));
        AssertRejected("'random' is missing", Edit(snapshot, o => o.Remove("random")));
        AssertRejected("four zero words", Edit(snapshot, o => o["random"] = new JsonArray(0, 0, 0, 0)));
        AssertRejected("not a running configuration", Edit(snapshot, o => o["pending"]!.AsArray()[0]!["budget"] = 12345.0));
        AssertRejected("pending", Edit(snapshot, o => o["pending"]!.AsArray().RemoveAt(0)));
        AssertRejected("unknown status 'Sleeping'", Edit(snapshot, o => o["iterations"]![0]!["data"]![0]!["status"] = "Sleeping"));
        AssertRejected("numbered 5", Edit(snapshot, o => o["iterations"]![0]!["iteration"] = 5));
        AssertRejected("invalid plan", Edit(snapshot, o => o["iterations"]![0]!["numConfigs"]![0] = 0));
        AssertRejected("row values", Edit(snapshot, o => o["generator"]!["budgets"]![0]!["rows"]!.AsArray().RemoveAt(0)));
        AssertRejected("config generator is 'h2bo'", Edit(snapshot, o => o["generator"]!["kind"] = "h2bo"));
        AssertRejected("'seven' is not a number", Edit(snapshot, o => o["generator"]!["budgets"]![0]!["losses"]![0] = "seven"));
        AssertRejected("fewer than", Edit(snapshot, o => o["plannedIterations"] = 1));

        void AssertRejected(string expected, string text)
        {
            var e = Assert.Throws<InvalidDataException>(() => Optimizer.FromSnapshot(settings, space, 5, text));
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SnapshotsOfAnotherOptimizerAreRejected()
    {
        var (settings, space, snapshot) = MidRunSnapshot();

        AssertMismatch("seed 5, not 6", settings, space, 6);
        AssertMismatch("optimizer Bohb, not H2bo", settings with { Kind = OptimizerKind.H2bo }, space, 5);
        AssertMismatch("minBudget 9, not 3", settings with { MinBudget = 3 }, space, 5);
        AssertMismatch("eta 3, not 2", settings with { Eta = 2 }, space, 5);
        AssertMismatch("iterations 5, not 6", settings with { Iterations = 6 }, space, 5);
        AssertMismatch("sizing", settings with { Sizing = BracketSizing.Ceil }, space, 5);
        AssertMismatch("numSamples 64, not 65", settings with { Model = new BohbSettings(NumSamples: 65) }, space, 5);
        AssertMismatch("another search space (hyperparameters", settings, new BraninObjective().Space, 5);
        AssertMismatch("same hyperparameter names", settings, new SearchSpaceBuilder().Float("x", -1, 1).Build(), 5);

        // The settings and seed it was taken with restore it.
        Assert.Equal(snapshot, Optimizer.FromSnapshot(settings, space, 5, snapshot).TakeSnapshot());

        void AssertMismatch(string expected, OptimizerSettings s, ConfigurationSpace sp, long seed)
        {
            var e = Assert.Throws<InvalidDataException>(() => Optimizer.FromSnapshot(s, sp, seed, snapshot));
            Assert.Contains("belongs to another optimizer", e.Message, StringComparison.Ordinal);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SnapshotSaysItsFormat()
    {
        var (_, _, snapshot) = MidRunSnapshot();
        using var document = JsonDocument.Parse(snapshot);
        Assert.Equal(Optimizer.SnapshotFormat, document.RootElement.GetProperty("format").GetInt32());
        Assert.Equal(1, Optimizer.SnapshotFormat);
    }

    /// <summary>
    /// Size and take/restore time for BOHB on hartmann6 (printed, not asserted). 500 results by default;
    /// HPBANDSTER_SNAPSHOT_RESULTS=10000 measures a larger run.
    /// </summary>
    [Fact]
    public void MeasureBohbSnapshot()
    {
        var results = int.TryParse(Environment.GetEnvironmentVariable("HPBANDSTER_SNAPSHOT_RESULTS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 500;
        var objective = new Hartmann6Objective();
        var settings = new OptimizerSettings(OptimizerKind.Bohb, objective.MinBudget, objective.MaxBudget, 10_000);
        var optimizer = new Optimizer(settings, objective.Space, 1);
        var replay = Stopwatch.StartNew();
        var events = OptimizerDriver.Run(optimizer, objective, slots: 4, orderSeed: 1, stopAfterEvents: 2 * results);
        replay.Stop();
        var told = events.Count(e => !e.IsAsk);

        // First calls (JIT included) and the best of three, in wall-clock and process CPU milliseconds (CPU time
        // is steadier on a shared machine).
        var (snapshot, take) = Timed(optimizer.TakeSnapshot);
        var (restored, restore) = Timed(() => Optimizer.FromSnapshot(settings, objective.Space, 1, snapshot));
        var (_, rebuild) = Timed(() =>
        {
            var rebuilt = new Optimizer(settings, objective.Space, 1);
            OptimizerDriver.Replay(rebuilt, events);
            return rebuilt;
        });

        Assert.Equal(snapshot, restored.TakeSnapshot());
        var bytes = Encoding.UTF8.GetByteCount(snapshot);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"BOHB hartmann6, {told} results ({optimizer.PendingCount} pending, {optimizer.Iterations.Count} iterations): snapshot {bytes / 1024.0:F0} KiB " +
            $"({bytes / (double)told:F0} B/result); take {take}; restore {restore}; full replay {rebuild}; live run {replay.Elapsed.TotalMilliseconds:F0} ms wall"));

        static (T Value, string Times) Timed<T>(Func<T> action)
        {
            var process = Process.GetCurrentProcess();
            var watch = Stopwatch.StartNew();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var value = action();
            var first = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            var firstCpu = (process.TotalProcessorTime - cpu).TotalMilliseconds;
            var (best, bestCpu) = (first, firstCpu);
            for (var i = 0; i < 2; i++)
            {
                process.Refresh();
                cpu = process.TotalProcessorTime;
                watch.Restart();
                action();
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);
                process.Refresh();
                bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalMilliseconds);
            }

            return (value, string.Create(CultureInfo.InvariantCulture, $"{best:F1} ms wall / {bestCpu:F0} ms CPU (first {first:F1} / {firstCpu:F0})"));
        }
    }

    private static (OptimizerSettings Settings, ConfigurationSpace Space, string Snapshot) MidRunSnapshot()
    {
        var objective = new ToyObjective();
        var settings = new OptimizerSettings(OptimizerKind.Bohb, objective.MinBudget, objective.MaxBudget, 5);
        var optimizer = new Optimizer(settings, objective.Space, 5);
        OptimizerDriver.Run(optimizer, objective, slots: 3, orderSeed: 4, stopAfterEvents: 120);
        Assert.NotEqual(0, optimizer.PendingCount);
        Assert.NotEqual(double.NegativeInfinity, optimizer.Generator.LargestBudgetWithModel);
        return (settings, objective.Space, optimizer.TakeSnapshot());
    }

    private static string Edit(string snapshot, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(snapshot)!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    /// <summary>A deterministic loss for any space: a stable hash of the configuration, plus a budget term.</summary>
    private static double SyntheticLoss(Job job)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(job.Config.ToString()))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return ((hash >> 11) * (1.0 / (1UL << 53))) + (1.0 / job.Budget);
    }
}
