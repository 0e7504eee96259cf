using System.Security.Cryptography;
using System.Text;

namespace HpBandSter.Client;

/// <summary>
/// Says that this process runs a run of an embedded data directory: an exclusive lock on
/// <c>&lt;data dir&gt;/locks/&lt;hash of the run id&gt;.lock</c>, taken before the embedded silo touches the run and
/// released by the operating system when the process ends, however it ends. A second <c>hpbandster run</c> or
/// <c>resume</c> of the same run in the same data directory is refused while the first process lives, instead of
/// activating the run a second time (two processes evaluating its jobs, and their journal appends conflicting).
/// </summary>
internal sealed class RunLock : IDisposable
{
    /// <summary>How long a lock held by another process is waited for: a process killed a moment ago may still hold it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="runId"/> in <paramref name="dataDirectory"/>, or returns null when another process holds it.</summary>
    /// <exception cref="IOException">The lock file cannot be created (the data directory is not writable).</exception>
    public static async Task<RunLock?> AcquireAsync(string dataDirectory, string runId, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(dataDirectory, "locks");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runId))) + ".lock");
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                // FileShare.None: on Unix .NET holds an advisory lock (flock) on the file, on Windows a share lock.
                var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                file.SetLength(0);
                file.Write(Encoding.UTF8.GetBytes($"{runId}\n{Environment.ProcessId}\n"));
                file.Flush();
                return new RunLock(file);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (DateTime.UtcNow >= deadline)
                {
                    return null;
                }

                await Task.Delay(Retry, cancellationToken);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
