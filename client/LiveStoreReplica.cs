namespace HpBandSter.Client;

/// <summary>A read-only view of an embedded store's runs (see <see cref="LiveStore.OpenReplicaAsync"/>); disposing it deletes the copy.</summary>
internal sealed class LiveStoreReplica(ClusterSession session, string directory) : IAsyncDisposable
{
    /// <summary>The silo over the copy.</summary>
    public ClusterSession Session { get; } = session;

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        DeleteQuietly(directory);
    }

    /// <summary>Deletes a directory and everything in it, ignoring failures (a temp copy left behind harms nothing).</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
