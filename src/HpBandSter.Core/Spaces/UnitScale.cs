namespace HpBandSter.Spaces;

/// <summary>
/// ConfigSpace 0.4.x's map between a float range and the unit interval (the body of
/// <c>UniformFloatHyperparameter._transform</c> / <c>_inverse_transform</c>), including its quirks:
/// with a quantisation step <c>q</c> the internal bounds are widened by <c>q/2 − 0.0001</c> on each side
/// (before taking logarithms on a log scale), and values are clipped to the nominal bounds.
/// </summary>
internal sealed class UnitScale
{
    private readonly double _range;

    /// <summary>Creates the scale; <paramref name="name"/> only serves error messages.</summary>
    /// <exception cref="ArgumentException">A widened lower bound is not positive on a log scale.</exception>
    public UnitScale(string name, double lower, double upper, bool log, double? q)
    {
        Lower = lower;
        Upper = upper;
        Log = log;
        Q = q;
        var padding = q is { } step ? (step / 2.0) - 0.0001 : 0.0;
        var low = q is null ? lower : lower - padding;
        var high = q is null ? upper : upper + padding;
        if (log)
        {
            if (!(low > 0))
            {
                throw new ArgumentException(
                    $"Hyperparameter '{name}' is on a log scale with q = {HyperparameterValues.Repr(q)}; its lower bound widened by q/2 − 0.0001 " +
                    $"({HyperparameterValues.Repr(low)}) is not positive, so it has no logarithm. Use a smaller q, a larger lower bound, or log = false.");
            }

            VectorLower = Math.Log(low);
            VectorUpper = Math.Log(high);
        }
        else
        {
            VectorLower = low;
            VectorUpper = high;
        }

        _range = VectorUpper - VectorLower;
    }

    /// <summary>The nominal lower bound (values are clipped to it).</summary>
    public double Lower { get; }

    /// <summary>The nominal upper bound (values are clipped to it).</summary>
    public double Upper { get; }

    /// <summary>Whether the unit interval maps to the logarithm of the value.</summary>
    public bool Log { get; }

    /// <summary>The quantisation step, if any.</summary>
    public double? Q { get; }

    /// <summary>The internal bound that 0 maps to (widened, and a logarithm on a log scale).</summary>
    public double VectorLower { get; }

    /// <summary>The internal bound that 1 maps to.</summary>
    public double VectorUpper { get; }

    /// <summary>Unit interval to value: scale, exponentiate on a log scale, quantise, clip to the bounds.</summary>
    public double ToValue(double unit)
    {
        var x = (unit * _range) + VectorLower;
        if (Log)
        {
            x = Math.Exp(x);
        }

        if (Q is { } q)
        {
            x = Math.Round(x / q, MidpointRounding.ToEven) * q;
        }

        return Math.Max(Lower, Math.Min(Upper, x));
    }

    /// <summary>Value to unit interval (clipped to [0, 1]).</summary>
    public double ToUnit(double value)
    {
        var x = Log ? Math.Log(value) : value;
        x = (x - VectorLower) / _range;
        return Math.Max(0.0, Math.Min(1.0, x));
    }
}
