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

    /// <summary>
    /// Opens the store the options name, initialized; null when it is the embedded default's and no run was ever
    /// written under the data directory (nothing to read, and nothing is created).
    /// </summary>
    /// <exception cref="RunStoreException">The store cannot be opened (the message says why, without the password).</exception>
    public async Task<IRunStore?> OpenAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        IRunStore store;
        if (parseResult.GetValue(Postgres) is { } postgres)
        {
            store = new PostgresRunStore(postgres);
        }
        else
        {
            var path = Path.Combine(parseResult.GetValue(DataDir)!, "runs.db");
            if (!File.Exists(path))
            {
                return null;
            }

            store = new SqliteRunStore(path);
        }

        try
        {
            await store.InitializeAsync(cancellationToken);
            return store;
        }
        catch
        {
            await ((IAsyncDisposable)store).DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Opens the store, runs <paramref name="read"/> on it (null: the embedded default's store does not exist yet)
    /// and closes it. A store error is printed to <paramref name="error"/> and gives <c>Ok = false</c>.
    /// </summary>
    public async Task<(bool Ok, T? Value)> ReadAsync<T>(ParseResult parseResult, TextWriter error, Func<IRunStore?, Task<T>> read, CancellationToken cancellationToken)
    {
        IRunStore? store = null;
        try
        {
            store = await OpenAsync(parseResult, cancellationToken);
            return (true, await read(store));
        }
        catch (RunStoreException e)
        {
            error.WriteLine($"error: {e.Message}");
            return (false, default);
        }
        finally
        {
            if (store is not null)
            {
                await ((IAsyncDisposable)store).DisposeAsync();
            }
        }
    }

    /// <summary>Where the options point, for messages (never the password).</summary>
    public string Describe(ParseResult parseResult) =>
        parseResult.GetValue(Postgres) is not null
            ? "the PostgreSQL run store"
            : $"the run store in '{Path.GetFullPath(parseResult.GetValue(DataDir)!)}'";
}
