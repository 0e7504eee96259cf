using System.Net;
using System.Net.Sockets;

namespace HpBandSter.Examples;

/// <summary>Free TCP ports on 127.0.0.1, for silos that must not collide with anything else on the machine.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port the operating system just reported free (bind to port 0, read it, release it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
