using System.Net;
using System.Net.Sockets;

namespace HpBandSter.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1, chosen at run time so that concurrent tests and benchmarks never collide.</summary>
public static class LoopbackPorts
{
    /// <summary>Distinct free loopback ports: listeners bound to port 0 are held until all are chosen, then closed.</summary>
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
