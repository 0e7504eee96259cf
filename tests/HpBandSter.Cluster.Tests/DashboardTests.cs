using System.Globalization;
using System.Net;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// <c>hpbandster-silo --dashboard PORT</c>: the Orleans Dashboard over HTTP on 127.0.0.1, only when asked for; bad
/// values fail at start-up naming the option.
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class DashboardTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_silo_with_a_dashboard_port_serves_the_dashboard_on_loopback_and_names_it_in_the_ready_line()
    {
        var port = LoopbackPorts.Free(1)[0];
        await using var cluster = await SiloCluster.StartConfiguredAsync(
            ["--slots", "1", "--objectives", "toy", "--dashboard", port.ToString(CultureInfo.InvariantCulture)]);
        var silo = cluster.Primary;
        var ready = await silo.Ready;
        Assert.EndsWith($" dashboard=http://127.0.0.1:{port}/", ready, StringComparison.Ordinal);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var page = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET / answered {(int)page.StatusCode}: {html}\n{silo.Tail}");
        Assert.Contains("<title>Orleans Dashboard</title>", html, StringComparison.Ordinal);

        // The dashboard's data endpoint answers from the cluster: this silo, active. Its counters refresh once a
        // second at most, so the first answers may still be empty.
        var json = string.Empty;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!json.Contains($"127.0.0.1:{silo.SiloPort}@", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            using var counters = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/DashboardCounters"));
            json = await counters.Content.ReadAsStringAsync();
            Assert.True(counters.StatusCode == HttpStatusCode.OK, $"GET /DashboardCounters answered {(int)counters.StatusCode}: {json}\n{silo.Tail}");
            await Task.Delay(200);
        }

        Assert.True(json.Contains($"127.0.0.1:{silo.SiloPort}@", StringComparison.Ordinal), $"The dashboard's counters never listed the silo within 30 s: {json}\n{silo.Tail}");
        Assert.Contains("\"status\":\"Active\"", json, StringComparison.Ordinal);

        // Only on loopback by default: the silo listens on its two Orleans ports and the dashboard port, nothing else.
        Assert.Equal(
            new[] { ("127.0.0.1", silo.SiloPort), ("127.0.0.1", silo.GatewayPort), ("127.0.0.1", port) }.Order(),
            ListeningSockets.Of(silo.Pid).Order());
    }

    [Fact]
    public async Task Without_a_dashboard_the_silo_has_no_http_listener()
    {
        await using var cluster = await SiloCluster.StartConfiguredAsync(["--slots", "1", "--objectives", "toy"]);
        var silo = cluster.Primary;
        Assert.DoesNotContain("dashboard", await silo.Ready, StringComparison.Ordinal);
        Assert.Equal(
            new[] { ("127.0.0.1", silo.SiloPort), ("127.0.0.1", silo.GatewayPort) }.Order(),
            ListeningSockets.Of(silo.Pid).Order());
    }

    [Theory]
    [InlineData("--dashboard", "70000")]
    [InlineData("--dashboard", "abc")]
    [InlineData("--dashboard-address", "localhost:80")]
    public async Task Invalid_dashboard_value_exits_with_code_2_naming_the_option(string option, string value)
    {
        using var silo = SiloProcess.StartRaw($"silo {option} {value}", option, value);
        var exitCode = await silo.WaitForExitAsync(ExitTimeout);
        Assert.True(exitCode == 2, $"Exit code {exitCode}, expected 2.\n{silo.Tail}");
        Assert.Contains($"{option}: '{value}'", silo.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_the_dashboard_and_the_join_timeout()
    {
        using var silo = SiloProcess.StartRaw("silo --help", "--help");
        Assert.Equal(0, await silo.WaitForExitAsync(ExitTimeout));
        var help = silo.AllOutput;
        foreach (var expected in new[] { "--dashboard <port|off>", "SSH tunnel", "--dashboard-address <ip>", "Default: 127.0.0.1 (this machine only)", "--join-timeout <seconds|none>", "HPBANDSTER_CommandObjectives__NAME__Executable" })
        {
            Assert.Contains(expected, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Dashboard_from_the_environment_is_checked_and_named_by_its_variable()
    {
        using var silo = SiloProcess.StartRaw("silo HPBANDSTER_DASHBOARD", new Dictionary<string, string> { ["HPBANDSTER_DASHBOARD"] = "abc" });
        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains("--dashboard (from HPBANDSTER_DASHBOARD): 'abc' is not a port", silo.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_on_the_silo_port_is_refused()
    {
        var ports = LoopbackPorts.Free(2);
        var siloPort = ports[0].ToString(CultureInfo.InvariantCulture);
        using var silo = SiloProcess.StartRaw("silo dashboard=silo port", "--silo-port", siloPort, "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture), "--dashboard", siloPort);
        Assert.Equal(2, await silo.WaitForExitAsync(ExitTimeout));
        Assert.Contains($"--dashboard: port {siloPort} is already this silo's --silo-port", silo.StandardError, StringComparison.Ordinal);
    }
}
