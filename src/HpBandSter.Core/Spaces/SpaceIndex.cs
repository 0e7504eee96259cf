namespace HpBandSter.Spaces;

/// <summary>Resolves hyperparameter names to vector positions while a space binds its conditions and forbidden clauses.</summary>
internal sealed class SpaceIndex
{
    private readonly Hyperparameter[] _hyperparameters;
    private readonly Dictionary<string, int> _index;

    public SpaceIndex(Hyperparameter[] hyperparameters, Dictionary<string, int> index)
    {
        _hyperparameters = hyperparameters;
        _index = index;
    }

    public Hyperparameter this[int index] => _hyperparameters[index];

    /// <summary>The position of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not in the space; the message names <paramref name="context"/>.</exception>
    public int Resolve(string name, string context) => _index.TryGetValue(name, out var i)
        ? i
        : throw new ArgumentException($"{context} refers to the unknown hyperparameter '{name}'; the space has: {string.Join(", ", _hyperparameters.Select(h => h.Name))}.");
}
