using System.Globalization;

namespace HpBandSter.Scheduling;

/// <summary>
/// HpBandSter's budget grid and bracket sizes for a minimum budget, a maximum budget and <c>eta</c>: the brackets of
/// BOHB and HyperBand, RandomSearch's single stage, and H2BO's most aggressive bracket.
/// </summary>
/// <remarks>
/// <para>Every number is computed as HpBandSter computes it, with the same floating-point operations, so the same
/// settings give the same brackets:</para>
/// <list type="bullet">
/// <item><c>max_SH_iter = -int(log(min/max) / log(eta)) + 1</c>. <c>int()</c> truncates toward zero, so at exact
/// powers of eta the result depends on the last bit of the logarithms: <c>log(1/243)/log(3)</c> is exactly -5.0 (6
/// stages) but <c>log(1/1000)/log(10)</c> is -2.9999999999999996 (3 stages, not 4). <see cref="Math.Log(double)"/>
/// gives the same doubles as Python's <c>math.log</c> and numpy's <c>np.log</c> on every case tested.</item>
/// <item><c>budgets = max * eta ** -[m-1, ..., 1, 0]</c>: anchored at the maximum budget, so the smallest budget can
/// exceed <see cref="MinBudget"/> (min 1, max 10, eta 3 gives 1.111…, 3.333…, 10).</item>
/// </list>
/// </remarks>
public sealed class HyperbandSchedule
{
    private readonly double[] _budgets;

    /// <summary>Creates the schedule.</summary>
    /// <param name="minBudget">Smallest budget to consider (HpBandSter's <c>min_budget</c>); positive and finite.</param>
    /// <param name="maxBudget">Largest budget (<c>max_budget</c>); finite, at least <paramref name="minBudget"/>.
    /// <c>minBudget == maxBudget</c> gives one stage: Bayesian optimization without fidelities.</param>
    /// <param name="eta">Reduction factor between stages; finite, at least 2 (HpBandSter's default is 3).</param>
    /// <param name="sizing">First-stage sizes of BOHB/HyperBand brackets; HpBandSter's <see cref="BracketSizing.Floor"/> by default.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public HyperbandSchedule(double minBudget, double maxBudget, double eta, BracketSizing sizing = BracketSizing.Floor)
    {
        if (!double.IsFinite(minBudget) || minBudget <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minBudget), minBudget,
                $"min_budget must be a positive, finite number (got {Format(minBudget)}).");
        }

        if (!double.IsFinite(maxBudget) || maxBudget <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBudget), maxBudget,
                $"max_budget must be a positive, finite number (got {Format(maxBudget)}).");
        }

        if (minBudget > maxBudget)
        {
            throw new ArgumentException(
                $"min_budget ({Format(minBudget)}) must not exceed max_budget ({Format(maxBudget)}); swap them, or set both equal for a single stage.",
                nameof(minBudget));
        }

        if (!double.IsFinite(eta) || eta < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(eta), eta,
                $"eta must be a finite number of at least 2 (got {Format(eta)}); HpBandSter's default is 3.");
        }

        if (!Enum.IsDefined(sizing))
        {
            throw new ArgumentOutOfRangeException(nameof(sizing), sizing, "sizing must be BracketSizing.Floor or BracketSizing.Ceil.");
        }

        MinBudget = minBudget;
        MaxBudget = maxBudget;
        Eta = eta;
        Sizing = sizing;
        MaxShIterations = ComputeMaxShIterations(minBudget, maxBudget, eta);
        _budgets = ComputeBudgets(MaxShIterations, maxBudget, eta);

        // The most aggressive bracket starts with eta**(m-1) configurations (with either sizing); keep it an int.
        if (Math.Ceiling(Math.Pow(eta, MaxShIterations - 1)) > int.MaxValue)
        {
            throw new ArgumentException(
                $"max_budget / min_budget = {Format(maxBudget / minBudget)} is too large for eta {Format(eta)}: the first bracket would need "
                + $"more than {int.MaxValue} configurations; raise min_budget or eta.",
                nameof(minBudget));
        }

        var perIteration = 0.0;
        for (var i = 0; i < _budgets.Length; i++)
        {
            perIteration += _budgets[_budgets.Length - 1 - i] * Math.Pow(eta, i);
        }

        BudgetPerIteration = perIteration;
    }

    /// <summary>The smallest budget asked for (the grid's smallest budget can be larger; see <see cref="Budgets"/>).</summary>
    public double MinBudget { get; }

    /// <summary>The largest budget.</summary>
    public double MaxBudget { get; }

    /// <summary>The reduction factor between stages.</summary>
    public double Eta { get; }

    /// <summary>First-stage sizing of <see cref="Bracket"/>.</summary>
    public BracketSizing Sizing { get; }

    /// <summary>HpBandSter's <c>max_SH_iter</c>: the number of budgets, and of brackets in one HyperBand cycle.</summary>
    public int MaxShIterations { get; }

    /// <summary>HpBandSter's <c>budgets</c>: <c>max_budget * eta**-k</c> for k = <see cref="MaxShIterations"/>-1 … 0, ascending.</summary>
    public IReadOnlyList<double> Budgets => Array.AsReadOnly(_budgets);

    /// <summary>
    /// HpBandSter's <c>budget_per_iteration</c> (RandomSearch, H2BO): Σ<sub>i</sub> <c>budgets[::-1][i] * eta**i</c>, about
    /// <see cref="MaxShIterations"/> full evaluations.
    /// </summary>
    public double BudgetPerIteration { get; }

    /// <summary>
    /// The bracket BOHB and HyperBand run at <paramref name="iteration"/>: <c>s = m - 1 - iteration % m</c> halvings,
    /// <c>n0</c> per <see cref="Sizing"/>, <c>ns[i] = max(int(n0 * eta**-i), 1)</c>, on the last <c>s + 1</c> budgets.
    /// </summary>
    /// <param name="iteration">Iteration number, from 0.</param>
    public BracketPlan Bracket(int iteration)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iteration);
        var m = MaxShIterations;
        var s = m - 1 - (iteration % m);
        var n0 = Sizing == BracketSizing.Floor
            ? (long)(Math.Floor((double)m / (s + 1)) * Math.Pow(Eta, s))
            : (long)Math.Ceiling(m * Math.Pow(Eta, s) / (s + 1));
        return new BracketPlan(StageSizes(n0, s), _budgets[^(s + 1)..]);
    }

    /// <summary>
    /// RandomSearch's iteration: one stage at <see cref="MaxBudget"/> with
    /// <c>budget_per_iteration // max_budget</c> configurations (Python float floor division), so that one iteration
    /// costs about as much as one HyperBand bracket: min 1, max 27, eta 3 gives 4; min = max gives 1.
    /// </summary>
    public BracketPlan RandomSearchBracket()
    {
        var n = PythonNumerics.FloorDivide(BudgetPerIteration, MaxBudget);
        return new BracketPlan([checked((int)n)], [MaxBudget]);
    }

    /// <summary>
    /// H2BO's iteration: the most aggressive bracket that starts at <c>mb = max(min_budget, largestBudgetWithModel)</c>
    /// and fits in <see cref="BudgetPerIteration"/>.
    /// </summary>
    /// <remarks>
    /// As HpBandSter's <c>H2BO.get_next_iteration</c>: the budgets are recomputed from <c>mb</c> to the maximum budget
    /// (the same grid, anchored at the maximum), <c>s</c> = their count - 1, and the first stage starts at
    /// <c>ceil(floor(max_SH_iter / (s + 1)) * eta**s)</c> with the schedule's own <see cref="MaxShIterations"/>. It
    /// then grows while Σ <c>ns * budgets</c> (numpy's summation) stays within <see cref="BudgetPerIteration"/>, and
    /// keeps the last size that fits. The largest fitting size is found by doubling and bisection instead of one step
    /// at a time; the cost only grows with the size, so the result is the same.
    /// </remarks>
    /// <param name="largestBudgetWithModel">The largest budget the config generator has a model for;
    /// <see cref="double.NegativeInfinity"/> (or anything at most <see cref="MinBudget"/>) when there is none.</param>
    /// <exception cref="ArgumentException">The budget is NaN or exceeds <see cref="MaxBudget"/>.</exception>
    public BracketPlan H2boBracket(double largestBudgetWithModel)
    {
        if (double.IsNaN(largestBudgetWithModel) || largestBudgetWithModel > MaxBudget)
        {
            throw new ArgumentOutOfRangeException(nameof(largestBudgetWithModel), largestBudgetWithModel,
                $"The largest budget with a model must be at most max_budget ({Format(MaxBudget)}), or -infinity when there is no model.");
        }

        var mb = Math.Max(MinBudget, largestBudgetWithModel);
        var localStages = ComputeMaxShIterations(mb, MaxBudget, Eta);
        var budgets = ComputeBudgets(localStages, MaxBudget, Eta);
        var s = localStages - 1;
        var start = (long)Math.Ceiling(Math.Floor((double)MaxShIterations / (s + 1)) * Math.Pow(Eta, s));

        long n0;
        if (H2boCost(start, s, budgets) > BudgetPerIteration)
        {
            n0 = start - 1; // HpBandSter's loop does not run; it steps back once and asserts the bracket fits
        }
        else
        {
            // Largest n >= start whose bracket still fits, i.e. one less than the first size that does not.
            var fits = start;
            var step = 1L;
            var tooBig = start + step;
            while (H2boCost(tooBig, s, budgets) <= BudgetPerIteration)
            {
                fits = tooBig;
                step *= 2;
                tooBig = start + step;
                if (tooBig > int.MaxValue)
                {
                    throw new InvalidOperationException(
                        $"H2BO's bracket at budget {Format(mb)} would need more than {int.MaxValue} configurations; raise min_budget or eta.");
                }
            }

            while (tooBig - fits > 1)
            {
                var mid = fits + ((tooBig - fits) / 2);
                if (H2boCost(mid, s, budgets) <= BudgetPerIteration)
                {
                    fits = mid;
                }
                else
                {
                    tooBig = mid;
                }
            }

            n0 = fits;
        }

        if (n0 < 1 || H2boCost(n0, s, budgets) > BudgetPerIteration)
        {
            throw new InvalidOperationException(
                $"H2BO's bracket at budget {Format(mb)} exceeds the budget per iteration ({Format(BudgetPerIteration)}); HpBandSter fails here too.");
        }

        return new BracketPlan(StageSizes(n0, s), budgets);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"min_budget {Format(MinBudget)}, max_budget {Format(MaxBudget)}, eta {Format(Eta)}: budgets [{string.Join(", ", _budgets.Select(Format))}]";

    private static int ComputeMaxShIterations(double minBudget, double maxBudget, double eta)
    {
        var ratio = Math.Log(minBudget / maxBudget) / Math.Log(eta);
        if (!(ratio > -64))
        {
            // eta >= 2, so 64 halvings would need more than 2**63 configurations in the first bracket.
            throw new ArgumentException(
                $"max_budget / min_budget = {Format(maxBudget / minBudget)} is too large for eta {Format(eta)}; raise min_budget or eta.",
                nameof(minBudget));
        }

        return -(int)ratio + 1; // (int) truncates toward zero, as Python's int()
    }

    private static double[] ComputeBudgets(int stages, double maxBudget, double eta)
    {
        var budgets = new double[stages];
        for (var j = 0; j < stages; j++)
        {
            double k = stages - 1 - j; // numpy's linspace(m-1, 0, m) holds exact integers
            budgets[j] = maxBudget * Math.Pow(eta, -k);
        }

        return budgets;
    }

    private int[] StageSizes(long n0, int s)
    {
        var ns = new int[s + 1];
        for (var i = 0; i <= s; i++)
        {
            ns[i] = checked((int)Math.Max((long)(n0 * Math.Pow(Eta, -i)), 1L));
        }

        return ns;
    }

    private double H2boCost(long n0, int s, double[] budgets)
    {
        Span<double> products = stackalloc double[s + 1];
        for (var i = 0; i <= s; i++)
        {
            products[i] = Math.Max((long)(n0 * Math.Pow(Eta, -i)), 1L) * budgets[i];
        }

        return PythonNumerics.NumpySum(products);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
