using System.Globalization;
using System.Net;

namespace HpBandSter.Cluster.Tests;

/// <summary>The TCP sockets a process listens on (Linux: its socket inodes matched against /proc/net/tcp and tcp6).</summary>
internal static class ListeningSockets
{
    private const string Listen = "0A";

    /// <summary>Address and port of every listening TCP socket of process <paramref name="pid"/>.</summary>
    public static List<(string Address, int Port)> Of(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed meanwhile
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target["socket:[".Length..^1]);
            }
        }

        List<(string, int)> sockets = [];
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Listen && inodes.Contains(fields[9]))
                {
                    var local = fields[1].Split(':');
                    sockets.Add((Address(local[0]).ToString(), int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                }
            }
        }

        return sockets;
    }

    /// <summary>The kernel prints addresses as 32-bit words in host (little-endian) order.</summary>
    private static IPAddress Address(string hex)
    {
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            var value = uint.Parse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            BitConverter.GetBytes(value).CopyTo(bytes, word * 4);
        }

        return new IPAddress(bytes);
    }
}
