using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace HpBandSter.Silo;

/// <summary>
/// Optional TLS for silo-to-silo and client-to-silo connections (Microsoft.Orleans.Connections.Security). Every
/// node of the cluster, and every client, presents a certificate (mutual TLS); a remote certificate is accepted when
/// it validates against the machine's trusted roots, or when it is the very certificate this silo uses (one
/// self-signed cluster certificate shared by the silos and clients, the simple set-up for a private cluster).
/// </summary>
internal static class SiloTls
{
    /// <summary>Loads a PKCS#12 (.pfx/.p12) file; throws <see cref="UsageException"/> naming <paramref name="source"/>, never the password.</summary>
    public static X509Certificate2 Load(string path, string? password, string source)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new UsageException($"{source}: the certificate file '{full}' does not exist.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(full, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new UsageException($"{source}: cannot read '{full}' as a PKCS#12 (.pfx) certificate with its private key (wrong or missing --tls-certificate-password?): {e.Message}");
        }

        if (!certificate.HasPrivateKey)
        {
            throw new UsageException($"{source}: '{full}' holds no private key; export the certificate with its key (.pfx).");
        }

        var now = DateTime.Now;
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            throw new UsageException($"{source}: the certificate in '{full}' is valid from {certificate.NotBefore:u} to {certificate.NotAfter:u}, not now.");
        }

        return certificate;
    }

    /// <summary>Turns on mutual TLS with <paramref name="certificate"/> (see the class remarks).</summary>
    public static void Configure(ISiloBuilder silo, X509Certificate2 certificate) =>
        silo.UseTls(certificate, options => Apply(options, certificate));

    /// <summary>The TLS options every node and client of the cluster uses.</summary>
    public static void Apply(TlsOptions options, X509Certificate2 certificate)
    {
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (remote, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None
            || (remote is not null && remote.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));
        // Silos are addressed by IP, so a shared certificate's name never matches; the certificate itself is compared above.
    }
}
