namespace HpBandSter.Cluster.Tests;

/// <summary><c>hpbandster-silo --dashboard PORT</c>: the Orleans Dashboard on loopback.</summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class DashboardTests
{
    [Fact]
    public async Task A_silo_with_a_dashboard_port_serves_the_orleans_dashboard_on_loopback_and_says_where()
    {
        var port = SiloProcess.FreePorts(1)[0];
        await using var cluster = await SiloCluster.StartConfiguredAsync(["--slots", "1", "--objectives", "toy", "--dashboard", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Contains($"dashboard=http://127.0.0.1:{port}/", await cluster.Primary.Ready, StringComparison.Ordinal);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
        var page = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"GET / answered {(int)response.StatusCode}: {page[..Math.Min(page.Length, 300)]}");
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_dashboard_port_that_is_not_a_port_is_a_usage_error()
    {
        using var silo = SiloProcess.StartRaw("bad-dashboard", "--dashboard", "eighty");

        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--dashboard", silo.StandardError, StringComparison.Ordinal);
    }
}
