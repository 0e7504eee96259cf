namespace HpBandSter.Sampling;

/// <summary>Sorting observations by loss.</summary>
internal static class LossOrder
{
    /// <summary>
    /// Indices 0..n-1 sorted by ascending loss; ties keep observation order (stable), where HpBandSter's numpy
    /// argsort leaves the order of ties to the platform.
    /// </summary>
    public static int[] Ascending(IReadOnlyList<double> losses)
    {
        var order = new int[losses.Count];
        var keys = new double[losses.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = losses[i];
        }

        // Sorting (loss, index) pairs: index breaks ties, so the unstable Array.Sort gives a stable order.
        Array.Sort(order, (a, b) =>
        {
            var c = keys[a].CompareTo(keys[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        return order;
    }
}
