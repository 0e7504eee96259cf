using System.Text.Json.Nodes;
using HpBandSter.Sampling;
using HpBandSter.Scheduling;
using HpBandSter.Spaces;

namespace HpBandSter.Optimizers;

/// <summary>
/// BOHB, HyperBand, RandomSearch or H2BO behind one ask/tell surface: HpBandSter's <c>Master.run</c> loop
/// without threads, clocks or I/O.
/// </summary>
/// <remarks>
/// <para><see cref="Ask"/> walks the active iterations in index order (older brackets first) and hands out the first
/// job any of them has; when none has one and fewer iterations than planned were opened, it opens the next
/// (so brackets overlap exactly as in HpBandSter); otherwise it answers "wait for results" or "finished".
/// <see cref="Tell"/> registers a result with its iteration and then with the config generator, in HpBandSter's
/// order. A job-queue policy is not here: the caller decides how many jobs to have outstanding.</para>
/// <para>Deterministic: all randomness comes from one <see cref="RandomSource"/> seeded from the seed. Two optimizers
/// with the same settings, space and seed that receive the same sequence of Ask and Tell calls make identical
/// Asks, so a persisted run is rebuilt by replaying its recorded Asks and Tells in order (<see cref="ReplayAsk"/>).</para>
/// </remarks>
public sealed partial class Optimizer
{
    private readonly RandomSource _random;
    private readonly ConfigGenerator _generator;
    private readonly List<SuccessiveHalvingIteration> _iterations = [];
    private readonly Dictionary<JobKey, Configuration> _pending = [];
    private SampledConfiguration? _lastSampled;
    private int _plannedIterations;

    /// <summary>Iterations before this index are finished (they finish for good), so Ask need not look at them again.</summary>
    private int _firstUnfinished;

    /// <summary>Creates an optimizer; settings are validated (errors name the setting).</summary>
    /// <param name="settings">Optimizer, budgets, eta, iterations and model settings.</param>
    /// <param name="space">The search space.</param>
    /// <param name="seed">The seed of the one random source everything draws from.</param>
    /// <param name="warmStart">Results of an earlier run to seed the model with (HpBandSter's <c>previous_result</c>):
    /// every budget is used, crashed runs count with loss +inf, and each budget's model is fitted once at the end.</param>
    public Optimizer(OptimizerSettings settings, ConfigurationSpace space, long seed, IEnumerable<Observation>? warmStart = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(space);
        settings.Validate();
        Settings = settings;
        Space = space;
        Seed = seed;
        _random = new RandomSource(seed);
        Schedule = new HyperbandSchedule(settings.MinBudget, settings.MaxBudget, settings.Eta, settings.Sizing);
        _generator = settings.Kind switch
        {
            OptimizerKind.Bohb => new BohbGenerator(space, _random, settings.EffectiveModel),
            OptimizerKind.H2bo => new H2boGenerator(space, _random, settings.EffectiveModel),
            _ => new RandomSampling(space, _random),
        };
        _plannedIterations = settings.Iterations;

        if (warmStart is not null)
        {
            var any = false;
            foreach (var observation in warmStart)
            {
                _generator.NewResult(observation, updateModel: false);
                any = true;
            }

            if (any)
            {
                _generator.RefitAll();
            }
        }
    }

    /// <summary>The settings this optimizer was created with.</summary>
    public OptimizerSettings Settings { get; }

    /// <summary>The search space.</summary>
    public ConfigurationSpace Space { get; }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>The budgets and bracket sizes.</summary>
    public HyperbandSchedule Schedule { get; }

    /// <summary>The config generator (for inspection: model budgets, settings).</summary>
    public ConfigGenerator Generator => _generator;

    /// <summary>Iterations planned in total (grows with <see cref="ExtendIterations"/>).</summary>
    public int PlannedIterations => _plannedIterations;

    /// <summary>The iterations opened so far, in order (read them for progress; do not drive them directly).</summary>
    public IReadOnlyList<SuccessiveHalvingIteration> Iterations => _iterations;

    /// <summary>Jobs handed out and not yet told.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>The keys of the jobs handed out and not yet told.</summary>
    public IReadOnlyCollection<JobKey> PendingJobs => _pending.Keys;

    /// <summary>True when every planned iteration is open and finished.</summary>
    public bool IsFinished
    {
        get
        {
            SkipFinishedIterations();
            return _iterations.Count >= _plannedIterations && _firstUnfinished == _iterations.Count;
        }
    }

    /// <summary>The position of the random source (for checking a replay, or for a snapshot).</summary>
    public RandomState RandomState => _random.GetState();

    /// <summary>The next job, or "wait for results", or "finished".</summary>
    public AskResult Ask()
    {
        while (true)
        {
            SkipFinishedIterations();
            for (var i = _firstUnfinished; i < _iterations.Count; i++)
            {
                var iteration = _iterations[i];
                if (iteration.IsFinished)
                {
                    continue;
                }

                _lastSampled = null;
                var next = iteration.NextRun();
                if (next is { } run)
                {
                    return new AskResult(AskStatus.Job, HandOut(run));
                }
            }

            if (_iterations.Count < _plannedIterations)
            {
                _iterations.Add(CreateIteration(_iterations.Count));
                continue;
            }

            SkipFinishedIterations();
            return _firstUnfinished < _iterations.Count ? AskResult.Wait : AskResult.Done;
        }
    }

    private void SkipFinishedIterations()
    {
        while (_firstUnfinished < _iterations.Count && _iterations[_firstUnfinished].IsFinished)
        {
            _firstUnfinished++;
        }
    }

    /// <summary>
    /// Replays a recorded Ask: asks, and checks that the job is the recorded one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The optimizer would hand out a different job: the record does not
    /// belong to this optimizer (other seed, settings, space or version).</exception>
    public Job ReplayAsk(JobKey expected)
    {
        var answer = Ask();
        if (answer.Job is not { } job || job.Key != expected)
        {
            var got = answer.Job is { } j ? j.Key.ToString() : answer.Status.ToString();
            throw new InvalidOperationException(
                $"Replay diverged: the record says the next job was {expected}, but the optimizer answers {got}. " +
                "The recorded run was made with other settings, another seed or another version of the optimizer.");
        }

        return job;
    }

    /// <summary>Records the outcome of a job handed out by <see cref="Ask"/>.</summary>
    /// <exception cref="InvalidOperationException">The job was never handed out, or its outcome was already told.</exception>
    public void Tell(JobKey key, JobOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!_pending.Remove(key, out var config))
        {
            throw new InvalidOperationException($"Job {key} is not pending: it was never handed out or its result was already told.");
        }

        var loss = outcome.IsCrashed ? null : outcome.Loss;
        var iteration = _iterations[key.Id.Iteration];
        iteration.RegisterResult(key.Id, key.Budget, loss, outcome.Error ?? (outcome.IsCrashed && outcome.Loss is { } l ? $"non-finite loss {l}" : null));
        _generator.NewResult(new Observation(config, key.Budget, loss));
    }

    /// <summary>Plans <paramref name="additional"/> more iterations (HpBandSter's <c>run()</c> called again); they are numbered after the existing ones.</summary>
    public void ExtendIterations(int additional)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(additional);
        _plannedIterations += additional;
    }

    private Job HandOut(ScheduledRun run)
    {
        var key = new JobKey(run.Id, run.Budget);
        if (!_pending.TryAdd(key, run.Config))
        {
            throw new InvalidOperationException($"Internal error: job {key} was handed out twice.");
        }

        var info = run.IsNewConfiguration && _lastSampled is { } sampled ? sampled.Info : [];
        return new Job(run.Id, run.Config, run.Budget, run.IsNewConfiguration, info);
    }

    private SuccessiveHalvingIteration CreateIteration(int index)
    {
        var plan = SchedulePlanner.BracketFor(Schedule, Settings.Scheme, index, _generator.LargestBudgetWithModel);

        return new SuccessiveHalvingIteration(index, plan, Sample);
    }

    private SampledConfiguration Sample(double budget)
    {
        var sampled = _generator.GetConfig(budget);
        _lastSampled = sampled;
        return sampled;
    }
}
