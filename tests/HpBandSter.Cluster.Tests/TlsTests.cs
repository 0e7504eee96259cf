using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HpBandSter.Orleans.Runs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace HpBandSter.Cluster.Tests;

/// <summary>
/// --tls-certificate: a silo with a self-signed certificate (made here) talks TLS; a client with the same certificate
/// runs an optimization, a plain-TCP client cannot connect; the certificate password is never printed.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hpbandster-tls-tests", Guid.NewGuid().ToString("N")[..12]);
    private readonly string _password = "tls-pw-" + Guid.NewGuid().ToString("N");
    private readonly X509Certificate2 _certificate;
    private readonly string _pfx;

    public TlsTests()
    {
        Directory.CreateDirectory(_directory);
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=hpbandster-test-cluster", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _pfx = Path.Combine(_directory, "cluster.pfx");
        File.WriteAllBytes(_pfx, created.Export(X509ContentType.Pfx, _password));
        _certificate = X509CertificateLoader.LoadPkcs12FromFile(_pfx, _password, X509KeyStorageFlags.EphemeralKeySet);
    }

    [Fact]
    public async Task Client_with_the_cluster_certificate_runs_and_a_plain_client_cannot_connect()
    {
        var environment = new Dictionary<string, string> { ["HPBANDSTER_TLS_CERTIFICATE_PASSWORD"] = _password };
        await using var cluster = await SiloCluster.StartConfiguredAsync(
            ["--tls-certificate", _pfx, "--objectives", "toy", "--slots", "2"],
            environment,
            c => c.UseTls(_certificate, o => ApplyClusterTls(o, _certificate)));
        Assert.Contains("tls=on", await cluster.Primary.Ready, StringComparison.Ordinal);

        var started = await cluster.Client.StartRunAsync("tls-run", new RunSpec { Objective = "toy", Optimizer = "hyperband", MinBudget = 1, MaxBudget = 3, Iterations = 1, Seed = 5 });
        Assert.True(started.Accepted, $"The run was refused: {started.Error}\n{cluster.Tails}");
        var end = await cluster.WaitForEndAsync("tls-run", TimeSpan.FromSeconds(60));
        Assert.True(end.State == RunState.Completed, $"The run ended as {RunStatusText.Describe(end)}.\n{cluster.Tails}");

        // Without TLS the gateway is unreachable: the client keeps failing to connect (the TLS client above took a
        // second or two) until it is given up on.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(c => c.UseLocalhostClustering([cluster.Primary.GatewayPort], cluster.ClusterId, cluster.ClusterId).AddHpBandSterClient());
        using var plain = builder.Build();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var failed = await Record.ExceptionAsync(() => plain.StartAsync(giveUp.Token));
        Assert.True(failed is not null, "A client without TLS connected to the TLS gateway.");

        Assert.DoesNotContain(_password, cluster.Primary.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_certificate_password_is_a_usage_error_that_does_not_print_it()
    {
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        using var silo = SiloProcess.StartRaw("silo wrong tls password", new Dictionary<string, string> { ["HPBANDSTER_TLS_CERTIFICATE_PASSWORD"] = wrong }, "--tls-certificate", _pfx);
        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("--tls-certificate: cannot read", silo.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, silo.AllOutput, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>What the silo program does (SiloTls.Apply): mutual TLS, the shared self-signed certificate accepted.</summary>
    private static void ApplyClusterTls(TlsOptions options, X509Certificate2 certificate)
    {
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (remote, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None
            || (remote is not null && remote.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));
    }
}
