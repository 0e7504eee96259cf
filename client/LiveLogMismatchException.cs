namespace HpBandSter.Client;

/// <summary>A <c>--out</c> directory holds HpBandSter logs that are not a part of the run's record (another run's).</summary>
internal sealed class LiveLogMismatchException(string directory, string file, string runId)
    : IOException($"'{directory}' holds logs that are not run {runId}'s ({file} does not match what the run recorded); they are left as they are: choose another directory.")
{
}
