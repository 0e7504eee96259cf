using HpBandSter.Orleans.Storage;

namespace HpBandSter.Client;

/// <summary>A run store to read without a cluster: PostgreSQL when <paramref name="Postgres"/> is given, else <c>&lt;DataDir&gt;/runs.db</c>.</summary>
/// <param name="DataDir">The embedded default's data directory.</param>
/// <param name="Postgres">A PostgreSQL connection string, or null.</param>
internal sealed record StoreAddress(string DataDir, string? Postgres)
{
    /// <summary>
    /// Opens the store, initialized; null when it is the embedded default's and no run was ever written under the
    /// data directory (nothing to read, and nothing is created).
    /// </summary>
    /// <exception cref="RunStoreException">The store cannot be opened (the message says why, without the password).</exception>
    public async Task<IRunStore?> OpenAsync(CancellationToken cancellationToken)
    {
        IRunStore store;
        if (Postgres is not null)
        {
            store = new PostgresRunStore(Postgres);
        }
        else
        {
            var path = Path.Combine(DataDir, "runs.db");
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
    public async Task<(bool Ok, T? Value)> ReadAsync<T>(TextWriter error, Func<IRunStore?, Task<T>> read, CancellationToken cancellationToken)
    {
        IRunStore? store = null;
        try
        {
            store = await OpenAsync(cancellationToken);
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

    /// <summary>Where the store is, for messages (never the password).</summary>
    public string Describe() =>
        Postgres is not null ? "the PostgreSQL run store" : $"the run store in '{Path.GetFullPath(DataDir)}'";
}
