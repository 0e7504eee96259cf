using System.Numerics;

namespace HpBandSter;

/// <summary>
/// The one source of randomness an optimizer uses: xoshiro256** seeded through SplitMix64.
/// </summary>
/// <remarks>
/// Unlike <see cref="System.Random"/>, its whole position is four 64-bit words that can be read
/// (<see cref="GetState"/>) and restored (<see cref="SetState"/>), so a persisted run can record where its
/// random stream stands and a replay reproduces it bit for bit. It derives from <see cref="System.Random"/>
/// so that MathNet.Numerics distributions can draw from it. Not thread-safe: an optimizer owns one.
/// </remarks>
public sealed class RandomSource : Random
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a source whose stream is fully determined by <paramref name="seed"/>.</summary>
    public RandomSource(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
        if ((_s0 | _s1 | _s2 | _s3) == 0)
        {
            _s0 = 1; // the all-zero state is the one xoshiro cannot leave
        }
    }

    /// <summary>Creates a source from a seed given as a signed integer (the CLI's <c>--seed</c>).</summary>
    public RandomSource(long seed) : this(unchecked((ulong)seed))
    {
    }

    /// <summary>Restores a source at a recorded position.</summary>
    public RandomSource(RandomState state)
    {
        SetState(state);
    }

    /// <summary>The current position in the stream.</summary>
    public RandomState GetState() => new(_s0, _s1, _s2, _s3);

    /// <summary>Moves the stream to a recorded position.</summary>
    public void SetState(RandomState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("A random state of four zero words is not a valid xoshiro256** state.", nameof(state));
        }

        (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);
    }

    /// <summary>Derives an independent source (for example one per iteration) without disturbing the parent's order of draws more than one step.</summary>
    public RandomSource Fork() => new(NextUInt64());

    /// <summary>The next raw 64-bit word.</summary>
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <inheritdoc />
    protected override double Sample() => NextDouble();

    /// <inheritdoc />
    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <inheritdoc />
    public override int Next() => (int)NextUInt64Below(int.MaxValue);

    /// <inheritdoc />
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (int)NextUInt64Below((ulong)maxValue);
    }

    /// <inheritdoc />
    public override int Next(int minValue, int maxValue)
    {
        if (minValue > maxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(minValue), "minValue must not exceed maxValue.");
        }

        var range = (ulong)((long)maxValue - minValue);
        return range <= 1 ? minValue : (int)((long)minValue + (long)NextUInt64Below(range));
    }

    /// <inheritdoc />
    public override long NextInt64() => (long)NextUInt64Below(long.MaxValue);

    /// <inheritdoc />
    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : (long)NextUInt64Below((ulong)maxValue);
    }

    /// <inheritdoc />
    public override long NextInt64(long minValue, long maxValue)
    {
        if (minValue > maxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(minValue), "minValue must not exceed maxValue.");
        }

        var range = (ulong)(maxValue - minValue);
        return range <= 1 ? minValue : unchecked(minValue + (long)NextUInt64Below(range));
    }

    /// <inheritdoc />
    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    /// <inheritdoc />
    public override void NextBytes(Span<byte> buffer)
    {
        while (buffer.Length >= 8)
        {
            BitConverter.TryWriteBytes(buffer, NextUInt64());
            buffer = buffer[8..];
        }

        if (buffer.Length > 0)
        {
            Span<byte> last = stackalloc byte[8];
            BitConverter.TryWriteBytes(last, NextUInt64());
            last[..buffer.Length].CopyTo(buffer);
        }
    }

    /// <summary>A standard normal draw (Marsaglia's polar method; the second value is discarded so that the state stays four words).</summary>
    public double NextGaussian()
    {
        while (true)
        {
            var u = (2.0 * NextDouble()) - 1.0;
            var v = (2.0 * NextDouble()) - 1.0;
            var s = (u * u) + (v * v);
            if (s > 0.0 && s < 1.0)
            {
                return u * Math.Sqrt(-2.0 * Math.Log(s) / s);
            }
        }
    }

    /// <summary>An unbiased integer in [0, bound) (Lemire's method).</summary>
    private ulong NextUInt64Below(ulong bound)
    {
        var high = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), bound, out low);
            }
        }

        return high;
    }

    /// <summary>One SplitMix64 step from <paramref name="value"/>: a well-mixed 64-bit hash, used to derive seeds.</summary>
    internal static ulong Mix64(ulong value) => SplitMix64(ref value);

    private static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
