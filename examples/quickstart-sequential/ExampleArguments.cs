using System.Globalization;

namespace HpBandSter.Examples;

/// <summary>The examples' few command-line options (<c>--name value</c> pairs and bare switches), nothing more.</summary>
internal sealed class ExampleArguments
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _switches;

    private ExampleArguments(Dictionary<string, string> values, HashSet<string> switches)
    {
        _values = values;
        _switches = switches;
    }

    /// <summary>
    /// Reads <paramref name="args"/>: each of <paramref name="options"/> takes a value, each of <paramref name="switches"/>
    /// none. Anything else is an error (<see cref="ArgumentException"/>, with a message naming it).
    /// </summary>
    public static ExampleArguments Parse(string[] args, IReadOnlyCollection<string> options, IReadOnlyCollection<string>? switches = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (switches?.Contains(args[i]) == true)
            {
                set.Add(args[i]);
            }
            else if (options.Contains(args[i]))
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{args[i]} needs a value.");
                }

                values[args[i]] = args[++i];
            }
            else
            {
                var known = string.Join(", ", options.Concat(switches ?? []));
                throw new ArgumentException($"Unknown argument '{args[i]}'; the options are: {known}.");
            }
        }

        return new ExampleArguments(values, set);
    }

    /// <summary>Whether the switch <paramref name="name"/> was given.</summary>
    public bool Has(string name) => _switches.Contains(name);

    /// <summary>The string value of <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public string Get(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    /// <summary>The integer value of <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public int Get(string name, int fallback) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"{name} must be an integer (got '{text}').");

    /// <summary>The number value of <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public double Get(string name, double fallback) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
        : throw new ArgumentException($"{name} must be a number (got '{text}').");
}
