using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// The <c>hpbandster</c> client and a TLS cluster (<c>hpbandster-silo --tls-certificate</c>), as real processes on
/// loopback: with the cluster's certificate run, watch and cancel work; without TLS, with another certificate, or
/// with TLS against a plain cluster, the client says what is wrong within a deadline; the same through PostgreSQL
/// clustering; the certificate password never appears in the client's output.
/// </summary>
[Collection(SiloProcessesCollection.Name)]
public sealed class ClientTlsTests(ITestOutputHelper output) : IDisposable
{
    private const string PasswordVariable = "HPBANDSTER_TLS_CERTIFICATE_PASSWORD";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    // --connect-timeout 10 (the default) plus the probe: a mismatch is reported well before this.
    private static readonly TimeSpan MismatchDeadline = TimeSpan.FromSeconds(30);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hpbandster-client-tls-tests", Guid.NewGuid().ToString("N")[..12]);
    private readonly string _password = "client-tls-pw-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Client_with_the_cluster_certificate_runs_and_others_get_a_clear_error()
    {
        var clusterPfx = CreatePfx("cluster", _password);
        var otherPfx = CreatePfx("other", _password);
        var clusterId = "client-tls-" + Guid.NewGuid().ToString("N")[..8];
        var ports = LoopbackPorts.Free(2);
        using var silo = SiloProcess.StartConfigured(
            "tls silo", ports[0], ports[1], clusterId, Path.Combine(_directory, "data"), ["--tls-certificate", clusterPfx, "--objectives", "toy", "--slots", "2"],
            new Dictionary<string, string> { [PasswordVariable] = _password });
        Assert.Contains("tls=on", await silo.WaitReadyAsync(ReadyTimeout), StringComparison.Ordinal);
        string[] cluster = ["--cluster", "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture), "--cluster-id", clusterId, "--service-id", clusterId];

        // The cluster's certificate, its password from the environment: the run completes.
        var run = await RunAsync(
            ["run", .. cluster, "--tls-certificate", clusterPfx, "--optimizer", "hyperband", "--iterations", "1", "--seed", "5", "--run-id", "tls-run", "--json"],
            new() { [PasswordVariable] = _password }, RunTimeout);
        Assert.True(run.Exit == 0, $"run exited with {run.Exit}: {run.Stderr}\n{silo.Tail}");
        Assert.Equal("completed", (string?)JsonNode.Parse(run.Stdout)!["state"]);
        Assert.DoesNotContain(_password, run.Stdout + run.Stderr, StringComparison.Ordinal);

        // The certificate from HPBANDSTER_TLS_CERTIFICATE, the password on the command line: watch and cancel reach the run.
        var watch = await RunAsync(["watch", "tls-run", .. cluster, "--tls-certificate-password", _password], new() { ["HPBANDSTER_TLS_CERTIFICATE"] = clusterPfx }, RunTimeout);
        Assert.True(watch.Exit == 0, $"watch exited with {watch.Exit}: {watch.Stderr}");
        Assert.Contains($"cluster '{clusterId}' via gateway port {ports[1]}, TLS", watch.Stdout, StringComparison.Ordinal);
        Assert.Contains("A total of 40 runs were executed.", watch.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(_password, watch.Stdout + watch.Stderr, StringComparison.Ordinal);
        var cancel = await RunAsync(["cancel", "tls-run", .. cluster, "--tls-certificate", clusterPfx], new() { [PasswordVariable] = _password }, RunTimeout);
        Assert.True(cancel.Exit == 0, $"cancel exited with {cancel.Exit}: {cancel.Stderr}");
        Assert.Contains("run tls-run: already completed", cancel.Stdout, StringComparison.Ordinal);

        // Without TLS (default --connect-timeout): a clear error within the deadline, not a hang or a stack trace.
        var plain = await RunAsync(["run", .. cluster, "--iterations", "1"], [], MismatchDeadline);
        Assert.Equal(1, plain.Exit);
        Assert.Contains($"cannot connect to the cluster '{clusterId}'", plain.Stderr, StringComparison.Ordinal);
        Assert.Contains($"the gateway at 127.0.0.1:{ports[1]} speaks TLS", plain.Stderr, StringComparison.Ordinal);
        Assert.Contains("--tls-certificate", plain.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", plain.Stderr, StringComparison.Ordinal);

        // A certificate the cluster does not use: refused, and said so.
        var other = await RunAsync(["resume", "tls-run", .. cluster, "--tls-certificate", otherPfx], new() { [PasswordVariable] = _password }, MismatchDeadline);
        Assert.Equal(1, other.Exit);
        Assert.Contains("presented a certificate this client does not accept (subject 'CN=hpbandster-test-cluster'", other.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_password, other.Stdout + other.Stderr, StringComparison.Ordinal);

        // A wrong password, given on the command line: a usage error that does not print it (nor the right one).
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var refused = await RunAsync(["run", .. cluster, "--tls-certificate", clusterPfx, "--tls-certificate-password", wrong], [], MismatchDeadline);
        Assert.Equal(2, refused.Exit);
        Assert.Contains($"--tls-certificate: cannot read '{clusterPfx}' as a PKCS#12 (.pfx) certificate with its private key (wrong or missing password?", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, refused.Stdout + refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_password, refused.Stdout + refused.Stderr, StringComparison.Ordinal);

        Assert.DoesNotContain(_password, silo.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_with_tls_at_a_plain_cluster_gets_a_clear_error()
    {
        var pfx = CreatePfx("cluster", _password);
        var clusterId = "client-plain-" + Guid.NewGuid().ToString("N")[..8];
        var ports = LoopbackPorts.Free(2);
        using var silo = SiloProcess.StartConfigured("plain silo", ports[0], ports[1], clusterId, Path.Combine(_directory, "plain-data"), ["--objectives", "toy", "--slots", "1"]);
        Assert.Contains("tls=off", await silo.WaitReadyAsync(ReadyTimeout), StringComparison.Ordinal);

        var result = await RunAsync(
            ["cancel", "some-run", "--cluster", "--gateway-port", ports[1].ToString(CultureInfo.InvariantCulture), "--cluster-id", clusterId, "--service-id", clusterId, "--tls-certificate", pfx],
            new() { [PasswordVariable] = _password },
            MismatchDeadline);
        Assert.Equal(1, result.Exit);
        Assert.Contains($"the gateway at 127.0.0.1:{ports[1]} does not speak TLS", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("leave out --tls-certificate", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_password, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_reaches_a_tls_cluster_through_postgres_and_a_plain_client_is_told_why_it_cannot()
    {
        await using var database = await TestPostgres.CreateAsync();
        var pfx = CreatePfx("cluster", _password);
        var clusterId = "client-pg-tls-" + Guid.NewGuid().ToString("N")[..8];
        var ports = LoopbackPorts.Free(2);
        var text = (int port) => port.ToString(CultureInfo.InvariantCulture);
        using var silo = SiloProcess.StartRaw(
            "postgres tls silo",
            new Dictionary<string, string> { ["HPBANDSTER_POSTGRES"] = database.ConnectionString, [PasswordVariable] = _password },
            "--clustering", "postgres", "--address", "127.0.0.1", "--silo-port", text(ports[0]), "--gateway-port", text(ports[1]), "--cluster-id", clusterId,
            "--service-id", clusterId, "--slots", "2", "--objectives", "toy", "--data-dir", Path.Combine(_directory, "pg-data"), "--tls-certificate", pfx);
        Assert.Contains("tls=on", await silo.WaitReadyAsync(TimeSpan.FromSeconds(60)), StringComparison.Ordinal);
        string[] cluster = ["--cluster-id", clusterId, "--service-id", clusterId];

        // HPBANDSTER_POSTGRES and both TLS variables, as an operator would set them once for silos and clients.
        var run = await RunAsync(
            ["run", .. cluster, "--optimizer", "hyperband", "--iterations", "1", "--seed", "5", "--json"],
            new() { ["HPBANDSTER_POSTGRES"] = database.ConnectionString, ["HPBANDSTER_TLS_CERTIFICATE"] = pfx, [PasswordVariable] = _password },
            RunTimeout);
        Assert.True(run.Exit == 0, $"run exited with {run.Exit}: {run.Stderr}\n{silo.Tail}");
        Assert.Equal("completed", (string?)JsonNode.Parse(run.Stdout)!["state"]);

        // The gateways come from PostgreSQL; the probe finds the one that speaks TLS while the client still tries, so the
        // plain client gives up well before its --connect-timeout (the run would fail the deadline if it waited it out).
        var plain = await RunAsync(["cancel", "some-run", "--postgres", database.ConnectionString, "--connect-timeout", "600", .. cluster], [], MismatchDeadline);
        Assert.Equal(1, plain.Exit);
        Assert.Contains($"cannot connect to the cluster '{clusterId}' (service '{clusterId}') through PostgreSQL at 127.0.0.1:", plain.Stderr, StringComparison.Ordinal);
        Assert.Contains($"the gateway at 127.0.0.1:{ports[1]} speaks TLS", plain.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(_password, silo.AllOutput + run.Stdout + run.Stderr + plain.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A self-signed certificate with its key as a .pfx (as TlsTests makes the cluster's); "cluster" is CN=hpbandster-test-cluster.</summary>
    private string CreatePfx(string name, string password)
    {
        Directory.CreateDirectory(_directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=hpbandster-test-{name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(_directory, name + ".pfx");
        File.WriteAllBytes(path, created.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>Runs hpbandster.dll (next to this assembly) to its end with only the given HPBANDSTER_* variables; fails after <paramref name="deadline"/>.</summary>
    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, Dictionary<string, string> environment, TimeSpan deadline) =>
        CliProcess.RunToEndAsync(args, environment, deadline, output);
}
