using System.CommandLine;
using HpBandSter.Orleans.Storage;

namespace HpBandSter.Client;

/// <summary>
/// <c>--data-dir</c> and <c>--postgres</c>: which run store a command reads without a cluster (the embedded
/// default's <c>&lt;data dir&gt;/runs.db</c>, or a PostgreSQL cluster's store).
/// </summary>
internal sealed class StoreLocation
{
    public StoreLocation()
    {
        DataDir = new Option<string>("--data-dir") { Description = "Data directory whose runs.db to read (the embedded default's store).", DefaultValueFactory = _ => SessionOptions.DefaultDataDirectory };
        Postgres = new Option<string?>("--postgres")
        {
            Description = "Read the PostgreSQL run store of a cluster instead (a connection string; default: the HPBANDSTER_POSTGRES environment variable if set). The password is never printed.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HPBANDSTER_POSTGRES"),
        };
    }

    public Option<string> DataDir { get; }

    public Option<string?> Postgres { get; }

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Postgres);
    }

    /// <summary>The store the options name.</summary>
    public StoreAddress Resolve(ParseResult parseResult) => new(parseResult.GetValue(DataDir)!, parseResult.GetValue(Postgres));

    /// <inheritdoc cref="StoreAddress.ReadAsync"/>
    public Task<(bool Ok, T? Value)> ReadAsync<T>(ParseResult parseResult, TextWriter error, Func<IRunStore?, Task<T>> read, CancellationToken cancellationToken) =>
        Resolve(parseResult).ReadAsync(error, read, cancellationToken);

    /// <inheritdoc cref="StoreAddress.Describe"/>
    public string Describe(ParseResult parseResult) => Resolve(parseResult).Describe();
}
