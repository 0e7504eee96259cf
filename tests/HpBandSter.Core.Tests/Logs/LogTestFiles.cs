namespace HpBandSter.Tests.Logs;

/// <summary>Paths of the log test data and a disposable scratch directory.</summary>
internal static class LogTestFiles
{
    /// <summary>
    /// A live log of a small MNIST-like BOHB run (budgets 1, 3, 9; one worker), written with Python's json.dumps
    /// exactly as HpBandSter's json_result_logger writes: crashes with a traceback and with "Worker died
    /// unexpectedly.", an infinite loss, a slot refilled at stage 1 (config [1, 1, 0]), a legacy two-element config
    /// line ([2, 0, 2]), one time_stamps dict in issue #32's key order, and a config sampled but not yet run ([3, 0, 2]).
    /// </summary>
    public static string MnistLive => Path.Combine(AppContext.BaseDirectory, "TestData", "logs", "mnist_live");

    /// <summary>The absolute time the first job of <see cref="MnistLive"/> was submitted (its TimeRef).</summary>
    public const double MnistTimeRef = 1534077946.9809837;
}

/// <summary>A fresh temporary directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hpbandster-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
