using System.Globalization;

namespace HpBandSter.TestSupport;

/// <summary>Silo keys as runs report them (<c>SiloAddress.ToParsableString()</c>: <c>127.0.0.1:11112@123456</c>).</summary>
public static class SiloKey
{
    /// <summary>The port in a silo key <c>host:port@generation</c>.</summary>
    public static int PortOf(string siloKey)
    {
        var at = siloKey.LastIndexOf('@');
        var address = at < 0 ? siloKey : siloKey[..at];
        return int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }
}
