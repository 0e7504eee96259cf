using System.Buffers.Binary;

namespace HpBandSter.Client.Tests.Plots;

/// <summary>Checks that a file is a PNG of a given size, reading its signature and IHDR chunk.</summary>
internal static class PngFile
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void AssertValid(string path, int width, int height)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5 * 1024, $"{Path.GetFileName(path)} is only {bytes.Length} bytes: a plot with axes, labels and data is larger");
        Assert.True(bytes.Length < 5 * 1024 * 1024, $"{Path.GetFileName(path)} is {bytes.Length} bytes: too large for a plot");
        Assert.Equal(Signature, bytes[..8]);

        // The first chunk of a PNG is IHDR: length 13, then width and height as big-endian 32-bit integers.
        Assert.Equal(13u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8, 4)));
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        Assert.Equal((uint)width, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal((uint)height, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20, 4)));

        // And it ends with the IEND chunk, so the file was written whole.
        Assert.Equal("IEND"u8.ToArray(), bytes[^8..^4]);
    }
}
