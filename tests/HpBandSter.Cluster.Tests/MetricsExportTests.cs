using System.Net;

namespace HpBandSter.Cluster.Tests;

/// <summary><c>hpbandster-silo --otlp-endpoint</c>: the silo's metrics reach an OTLP collector over HTTP.</summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class MetricsExportTests
{
    [Fact]
    public async Task A_silo_with_an_otlp_endpoint_posts_its_evaluation_metrics_to_the_collector()
    {
        // A stand-in collector on loopback: it records what is posted to /v1/metrics.
        var port = LoopbackPorts.Free(1)[0];
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new TaskCompletionSource<(string Path, string ContentType, byte[] Body)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () =>
        {
            while (collector.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var bytes = body.ToArray();
                context.Response.StatusCode = 200;
                context.Response.Close();
                if (System.Text.Encoding.UTF8.GetString(bytes).Contains("hpbandster.evaluations.started", StringComparison.Ordinal))
                {
                    received.TrySetResult((context.Request.Url!.AbsolutePath, context.Request.ContentType ?? string.Empty, bytes));
                }
            }
        });

        await using var cluster = await SiloCluster.StartConfiguredAsync(
            ["--slots", "1", "--objectives", "toy", "--otlp-endpoint", $"http://127.0.0.1:{port}"],
            new Dictionary<string, string> { ["OTEL_METRIC_EXPORT_INTERVAL"] = "500" });
        var started = await cluster.Client.StartRunAsync("metrics-export", new HpBandSter.Orleans.Runs.RunSpec { Objective = "toy", MinBudget = 9, MaxBudget = 81, Iterations = 1, Seed = 2 });
        Assert.True(started.Accepted, started.Error);

        var finished = await Task.WhenAny(received.Task, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.True(finished == received.Task, $"No OTLP export with hpbandster.evaluations.started arrived within 60 s.\n{cluster.Tails}");
        var (path, contentType, payload) = await received.Task;
        Assert.Equal("/v1/metrics", path);
        Assert.Equal("application/x-protobuf", contentType);
        Assert.Contains("HpBandSter.Orleans", System.Text.Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        Assert.Contains("hpbandster-silo", System.Text.Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        collector.Stop();
    }
}
