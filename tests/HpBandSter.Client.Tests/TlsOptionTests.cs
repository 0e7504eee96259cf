using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HpBandSter.Client.Tests;

/// <summary>
/// <c>--tls-certificate</c> and <c>--tls-certificate-password</c> on the commands that connect to a cluster: in the
/// help, usage errors for a certificate that cannot be used (each saying what is wrong), and the password never printed.
/// The connections themselves are tested against TLS silos in HpBandSter.Cluster.Tests (ClientTlsTests).
/// </summary>
public sealed class TlsOptionTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _directory = new();
    private readonly string _password = "cli-tls-pw-" + Guid.NewGuid().ToString("N");

    public TlsOptionTests() => Directory.CreateDirectory(_directory.Path);

    public static TheoryData<string[]> ClusterCommands => new()
    {
        new[] { "run" },
        new[] { "resume", "some-run" },
        new[] { "watch", "some-run" },
        new[] { "cancel", "some-run" },
    };

    [Theory]
    [MemberData(nameof(ClusterCommands))]
    public void Help_describes_the_options_without_a_password_default(string[] command)
    {
        var (exit, output, _) = CliRunner.Run([.. command.Take(1), "--help"]);
        Assert.Equal(0, exit);
        Assert.Contains("--tls-certificate <pfx>", output);
        Assert.Contains("--tls-certificate-password <password>", output);
        Assert.Contains("HPBANDSTER_TLS_CERTIFICATE_PASSWORD", output);
        Assert.Contains("Default: the HPBANDSTER_TLS_CERTIFICATE environment variable, else none (plain TCP).", output);
        var passwordLine = output.Split('\n').Single(l => l.TrimStart().StartsWith("--tls-certificate-password", StringComparison.Ordinal));
        Assert.DoesNotContain("[default:", passwordLine);
    }

    [Theory]
    [MemberData(nameof(ClusterCommands))]
    public void Wrong_password_is_a_usage_error_that_does_not_print_it(string[] command)
    {
        var pfx = CreatePfx("cluster.pfx", withKey: true, DateTimeOffset.UtcNow.AddDays(1));
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var error = Fails(command, "--cluster", "--tls-certificate", pfx, "--tls-certificate-password", wrong);
        Assert.Contains($"--tls-certificate: cannot read '{pfx}' as a PKCS#12 (.pfx) certificate with its private key (wrong or missing password?", error);
        Assert.DoesNotContain(wrong, error);
        Assert.DoesNotContain(_password, error);
    }

    [Fact]
    public void Missing_file_says_which()
    {
        var missing = _directory.File("nowhere.pfx");
        Assert.Contains($"--tls-certificate: the certificate file '{missing}' does not exist", Fails(["watch", "r"], "--cluster", "--tls-certificate", missing));
    }

    [Fact]
    public void Certificate_without_its_private_key_says_so()
    {
        var pfx = CreatePfx("public-only.pfx", withKey: false, DateTimeOffset.UtcNow.AddDays(1));
        var error = Fails(["cancel", "r"], "--cluster", "--tls-certificate", pfx, "--tls-certificate-password", _password);
        Assert.Contains($"--tls-certificate: '{pfx}' holds no private key; export the certificate with its key (.pfx)", error);
        Assert.DoesNotContain(_password, error);
    }

    [Fact]
    public void Expired_certificate_says_when_it_was_valid()
    {
        var pfx = CreatePfx("expired.pfx", withKey: true, DateTimeOffset.UtcNow.AddDays(-1));
        Assert.Contains("is valid from", Fails(["run"], "--postgres", "Host=127.0.0.1;Username=u;Database=d", "--tls-certificate", pfx, "--tls-certificate-password", _password));
    }

    [Theory]
    [InlineData("run", "--tls-certificate", "x.pfx", "--tls-certificate applies with --cluster only (or --postgres).")]
    [InlineData("run", "--tls-certificate-password", "pw-on-the-command-line", "--tls-certificate-password applies with --cluster only (or --postgres).")]
    [InlineData("resume", "--tls-certificate", "x.pfx", "--tls-certificate applies with --cluster only (or --postgres).")]
    public void Tls_options_apply_to_a_cluster_only(string command, string option, string value, string message)
    {
        string[] head = command == "run" ? ["run"] : [command, "some-run"];
        var error = Fails(head, option, value);
        Assert.Contains(message, error);
        Assert.DoesNotContain("pw-on-the-command-line", error);
    }

    [Fact]
    public void Password_without_a_certificate_is_a_usage_error_that_does_not_print_it()
    {
        var error = Fails(["cancel", "r"], "--cluster", "--tls-certificate-password", _password);
        Assert.Contains("--tls-certificate-password applies with --tls-certificate only", error);
        Assert.DoesNotContain(_password, error);
    }

    [Fact]
    public async Task Environment_variables_stand_for_the_options_and_the_password_is_never_printed()
    {
        var environment = new Dictionary<string, string>
        {
            ["HPBANDSTER_TLS_CERTIFICATE"] = _directory.File("from-environment.pfx"),
            ["HPBANDSTER_TLS_CERTIFICATE_PASSWORD"] = _password,
        };

        using (var help = CliProcess.Start(["run", "--help"], environment))
        {
            var (exit, stdout, stderr) = await help.WaitForExitAsync(ExitTimeout);
            Assert.Equal(0, exit);
            Assert.Contains("--tls-certificate-password", stdout);
            Assert.DoesNotContain(_password, stdout + stderr);
        }

        using (var cancel = CliProcess.Start(["cancel", "some-run", "--cluster"], environment))
        {
            var (exit, stdout, stderr) = await cancel.WaitForExitAsync(ExitTimeout);
            Assert.Equal(2, exit);
            Assert.Contains($"--tls-certificate (from HPBANDSTER_TLS_CERTIFICATE): the certificate file '{_directory.File("from-environment.pfx")}' does not exist", stderr);
            Assert.DoesNotContain(_password, stdout + stderr);
        }

        // The embedded data directory needs no TLS: the variables are not looked at.
        using (var embedded = CliProcess.Start(["cancel", "some-run", "--data-dir", _directory.File("data")], environment))
        {
            var (_, stdout, stderr) = await embedded.WaitForExitAsync(ExitTimeout);
            Assert.DoesNotContain("tls", stdout + stderr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(_password, stdout + stderr);
        }
    }

    public void Dispose() => _directory.Dispose();

    private static string Fails(string[] command, params string[] options)
    {
        var (exitCode, output, error) = CliRunner.Run([.. command, .. options]);
        Assert.True(exitCode == Cli.UsageError, $"exit {exitCode}; stdout: {output}; stderr: {error}");
        Assert.Equal(string.Empty, output);
        Assert.StartsWith("error: ", error);
        Assert.EndsWith($"Run 'hpbandster {command[0]} --help' for usage.\n", error);
        return error;
    }

    private string CreatePfx(string name, bool withKey, DateTimeOffset notAfter)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=hpbandster-cli-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(notAfter.AddDays(-2), notAfter);
        using var exported = withKey ? null : X509CertificateLoader.LoadCertificate(created.RawData);
        var path = _directory.File(name);
        File.WriteAllBytes(path, (exported ?? created).Export(X509ContentType.Pfx, _password));
        return path;
    }
}
