using System.Buffers;
using System.Runtime.InteropServices;
using HpBandSter.Sampling.Kde;
using HpBandSter.Spaces;

namespace HpBandSter.Sampling;

/// <summary>
/// How a search space maps onto KDE columns: every non-constant hyperparameter is a column (constants carry no
/// information and HpBandSter's counting them in d kept models from ever being fitted, issues #20/#90);
/// categorical and ordinal ones are categorical columns with their real number of choices.
/// </summary>
internal sealed class ModelColumns
{
    public ModelColumns(ConfigurationSpace space)
    {
        var toVector = new List<int>();
        var columns = new List<KdeColumn>();
        var unbounded = new List<bool>();
        for (var i = 0; i < space.Count; i++)
        {
            var hp = space.Hyperparameters[i];
            if (hp.IsConstant)
            {
                continue;
            }

            toVector.Add(i);
            columns.Add(hp.IsCategorical ? KdeColumn.Categorical(hp.ChoiceCount, hp.Name) : KdeColumn.Continuous(hp.Name));
            unbounded.Add(hp is NormalFloatHyperparameter { IsBounded: false } or NormalIntegerHyperparameter { IsBounded: false });
        }

        Space = space;
        ToVector = [.. toVector];
        Columns = [.. columns];
        Unbounded = [.. unbounded];
    }

    public ConfigurationSpace Space { get; }

    /// <summary>For each model column, its index in the space's vector.</summary>
    public int[] ToVector { get; }

    public KdeColumn[] Columns { get; }

    /// <summary>Continuous columns whose vector entry is not a [0, 1] position (normal hyperparameters without bounds).</summary>
    public bool[] Unbounded { get; }

    public int Count => Columns.Length;

    /// <summary>Appends the model columns of a configuration's vector to <paramref name="rows"/>.</summary>
    public void AppendRow(Configuration configuration, List<double> rows)
    {
        var vector = Space.ToVector(configuration);
        foreach (var i in ToVector)
        {
            rows.Add(vector[i]);
        }
    }

    /// <summary>
    /// Turns a model vector into a configuration: categorical entries rounded (numpy's rint), constants at their
    /// vector value 0, inactive hyperparameters dropped.
    /// </summary>
    /// <exception cref="ForbiddenConfigurationException">The result is forbidden.</exception>
    public Configuration ToConfiguration(ReadOnlySpan<double> modelVector)
    {
        var full = new double[Space.Count];
        for (var j = 0; j < modelVector.Length; j++)
        {
            var value = modelVector[j];
            full[ToVector[j]] = Columns[j].IsCategorical ? Math.Round(value, MidpointRounding.ToEven) : value;
        }

        return Space.FromVector(full);
    }

    /// <summary>
    /// Fits the good and bad densities on the rows selected by <paramref name="order"/> (good first), imputing
    /// inactive entries; null when either set does not have more rows than columns.
    /// </summary>
    public GoodBadModel? Fit(List<double> rows, ReadOnlySpan<int> order, int nGood, int nBad, double minBandwidth, RandomSource random)
    {
        // The gathered sets are scratch (the KDE copies what it keeps): pooled, so a refit at thousands of
        // observations does not allocate large-object-heap arrays every time.
        var d = Count;
        var all = CollectionsMarshal.AsSpan(rows);
        var good = ArrayPool<double>.Shared.Rent(Math.Max(1, nGood * d));
        var bad = ArrayPool<double>.Shared.Rent(Math.Max(1, nBad * d));
        try
        {
            var goodRows = good.AsSpan(0, nGood * d);
            var badRows = bad.AsSpan(0, nBad * d);
            Gather(all, order[..nGood], d, goodRows);
            Gather(all, order.Slice(nGood, nBad), d, badRows);
            KdeImputation.Impute(goodRows, nGood, Columns, random);
            KdeImputation.Impute(badRows, nBad, Columns, random);
            if (nGood <= d || nBad <= d)
            {
                return null;
            }

            var options = new KdeOptions(MinBandwidth: minBandwidth);
            return new GoodBadModel(MultivariateKde.Fit(goodRows, nGood, Columns, options), MultivariateKde.Fit(badRows, nBad, Columns, options));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(good);
            ArrayPool<double>.Shared.Return(bad);
        }
    }

    private static void Gather(ReadOnlySpan<double> rows, ReadOnlySpan<int> indices, int d, Span<double> destination)
    {
        for (var r = 0; r < indices.Length; r++)
        {
            rows.Slice(indices[r] * d, d).CopyTo(destination.Slice(r * d, d));
        }
    }
}
