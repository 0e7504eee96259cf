using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace HpBandSter.Client;

/// <summary>
/// TLS between this client and a cluster whose silos run with <c>hpbandster-silo --tls-certificate</c>
/// (Microsoft.Orleans.Connections.Security), in the silo's mode: mutual TLS, where each side presents a certificate and
/// accepts the other's when it validates against the machine's trusted roots or is the very certificate it uses itself
/// (one self-signed certificate shared by a private cluster's silos and clients).
/// </summary>
internal static class ClusterTls
{
    /// <summary>The environment variable that stands for <c>--tls-certificate</c> (as for the silo).</summary>
    public const string CertificateVariable = "HPBANDSTER_TLS_CERTIFICATE";

    /// <summary>The environment variable that stands for <c>--tls-certificate-password</c> (as for the silo).</summary>
    public const string PasswordVariable = "HPBANDSTER_TLS_CERTIFICATE_PASSWORD";

    /// <summary>
    /// Loads a PKCS#12 (.pfx/.p12) file with its private key. Returns the certificate, or null and a message that
    /// names <paramref name="source"/> and the file, never the password.
    /// </summary>
    public static (X509Certificate2? Certificate, string? Error) Load(string path, string? password, string source)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return (null, $"{source}: '{path}' is not a usable file path.");
        }

        if (!File.Exists(full))
        {
            return (null, $"{source}: the certificate file '{full}' does not exist; give the PKCS#12 (.pfx) file the cluster's silos use (hpbandster-silo --tls-certificate).");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(full, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            return (null, $"{source}: cannot read '{full}' as a PKCS#12 (.pfx) certificate with its private key (wrong or missing password? "
                + $"give it by {PasswordVariable} or --tls-certificate-password): {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"{source}: cannot read '{full}': {e.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            return (null, $"{source}: '{full}' holds no private key; export the certificate with its key (.pfx), as the silos use it.");
        }

        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            var message = $"{source}: the certificate in '{full}' is valid from {certificate.NotBefore:u} to {certificate.NotAfter:u}, not now.";
            certificate.Dispose();
            return (null, message);
        }

        return (certificate, null);
    }

    /// <summary>The TLS options of the cluster's nodes (hpbandster-silo's SiloTls.Apply), for this client.</summary>
    public static void Apply(TlsOptions options, X509Certificate2 certificate)
    {
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (remote, _, errors) => Accepts(certificate, remote, errors);
        // Silos are addressed by IP, so a shared certificate's name never matches; the certificate itself is compared.
    }

    /// <summary>Whether a remote certificate is accepted: valid against the trusted roots, or <paramref name="own"/> itself.</summary>
    public static bool Accepts(X509Certificate2 own, X509Certificate2? remote, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None || (remote is not null && remote.RawDataMemory.Span.SequenceEqual(own.RawDataMemory.Span));
}
