using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace HpBandSter.Client;

/// <summary>
/// Says why a client could not connect when TLS is the reason. Orleans does not tell: a plain client at a TLS gateway
/// (or a TLS client at a plain one, or one whose certificate is refused) just keeps failing to connect until it is
/// given up on. After such a failure this opens a connection of its own to each gateway and tries a TLS handshake:
/// a gateway that presents a certificate speaks TLS; whether each side accepts the other's certificate is then seen
/// from the handshake and from whether the gateway hangs up right after it.
/// </summary>
internal static class GatewayProbe
{
    private const int MaxGateways = 3;

    /// <summary>
    /// Probes up to three <paramref name="gateways"/> within <paramref name="timeout"/> each; returns what is wrong
    /// and how to fix it, or null when neither TLS nor a closed port is the problem (or the gateways could not be
    /// reached to tell).
    /// </summary>
    public static async Task<Diagnosis?> DiagnoseAsync(IReadOnlyList<DnsEndPoint> gateways, X509Certificate2? certificate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Diagnosis? listening = null;
        foreach (var gateway in gateways.Take(MaxGateways))
        {
            var finding = await ProbeAsync(gateway, certificate, timeout, cancellationToken);
            var where = $"{gateway.Host}:{gateway.Port}";
            switch (finding.Kind)
            {
                case Kind.Tls when certificate is null:
                    return new Diagnosis(TlsMismatch: true, $"the gateway at {where} speaks TLS (its certificate: {Describe(finding.RemoteSubject, finding.RemoteThumbprint)}), "
                        + $"so the cluster's silos run with --tls-certificate; give this client a certificate they accept with --tls-certificate "
                        + $"(usually the cluster's own .pfx file) and its password by {ClusterTls.PasswordVariable}.");
                case Kind.Tls when !finding.RemoteAccepted:
                    return new Diagnosis(TlsMismatch: true, $"the gateway at {where} presented a certificate this client does not accept ({Describe(finding.RemoteSubject, finding.RemoteThumbprint)}): "
                        + "it is neither this client's --tls-certificate nor valid against this machine's trusted roots; use the certificate the cluster's silos use.");
                case Kind.Tls when finding.LocalRefused:
                    return new Diagnosis(TlsMismatch: true, $"the gateway at {where} refused this client's certificate ({Describe(certificate!.Subject, certificate.Thumbprint)}): the silos accept only "
                        + "their own certificate or one valid against their machine's trusted roots; use the certificate the cluster's silos use.");
                case Kind.Plain when certificate is not null:
                    return new Diagnosis(TlsMismatch: true, $"the gateway at {where} does not speak TLS: the cluster's silos run without --tls-certificate; leave out --tls-certificate "
                        + $"(and unset {ClusterTls.CertificateVariable}) for this cluster, or start its silos with --tls-certificate.");
                case Kind.Refused:
                    listening ??= new Diagnosis(TlsMismatch: false, $"nothing accepts connections at {where}");
                    break;
            }
        }

        return listening;
    }

    private static async Task<Finding> ProbeAsync(DnsEndPoint gateway, X509Certificate2? certificate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(gateway, deadline.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new Finding(Kind.Refused);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Finding(Kind.Unknown);
        }

        string? subject = null, thumbprint = null;
        var accepted = false;
        await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = gateway.Host,
            ClientCertificates = certificate is null ? null : [certificate],
            RemoteCertificateValidationCallback = (_, remote, _, errors) =>
            {
                if (remote is X509Certificate2 remote2)
                {
                    subject = remote2.Subject;
                    thumbprint = remote2.Thumbprint;
                    accepted = certificate is not null && ClusterTls.Accepts(certificate, remote2, errors);
                }

                // The probe goes on whatever the certificate, to find out whether the gateway accepts this client's.
                return true;
            },
        };
        try
        {
            await stream.AuthenticateAsClientAsync(options, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // No answer in time: a busy gateway, or one that waits for something else; nothing to conclude.
            return new Finding(Kind.Unknown);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            // No certificate seen: the gateway hung up on the handshake (a plain Orleans gateway does at once).
            // A certificate seen: the gateway refused this client's certificate, or its absence, during the handshake (TLS 1.2).
            return subject is null ? new Finding(Kind.Plain) : new Finding(Kind.Tls, subject, thumbprint, accepted, LocalRefused: true);
        }

        // With TLS 1.3 the gateway checks the client's certificate after the handshake and hangs up if it refuses it;
        // a gateway that accepted it waits for the client's first message.
        var refused = false;
        using (var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            settle.CancelAfter(TimeSpan.FromTicks(Math.Min(timeout.Ticks, TimeSpan.FromSeconds(1).Ticks)));
            try
            {
                refused = await stream.ReadAsync(new byte[1], settle.Token) == 0;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
            {
                refused = true;
            }
        }

        return new Finding(Kind.Tls, subject, thumbprint, accepted, refused);
    }

    private static string Describe(string? subject, string? thumbprint) =>
        subject is null ? "unknown" : $"subject '{subject}', SHA-1 thumbprint {thumbprint}";

    private enum Kind
    {
        Unknown,
        Refused,
        Plain,
        Tls,
    }

    /// <summary>What is wrong (<paramref name="Message"/>, with how to fix it); <paramref name="TlsMismatch"/> when waiting longer cannot help.</summary>
    public sealed record Diagnosis(bool TlsMismatch, string Message);

    private sealed record Finding(Kind Kind, string? RemoteSubject = null, string? RemoteThumbprint = null, bool RemoteAccepted = false, bool LocalRefused = false);
}
