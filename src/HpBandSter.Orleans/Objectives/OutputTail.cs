using System.Text;

namespace HpBandSter.Orleans.Objectives;

/// <summary>
/// The last bytes of a process's output stream. Reads the stream to its end (so the process never blocks on a full
/// pipe) but keeps at most <c>capacity</c> bytes, dropping from the front: memory stays bounded whatever it prints.
/// </summary>
internal sealed class OutputTail(int capacity)
{
    private readonly Lock _lock = new();
    private byte[] _buffer = new byte[Math.Min(capacity, 8192) * 2];
    private int _length;

    /// <summary>Bytes read and dropped from the front.</summary>
    public long Dropped { get; private set; }

    /// <summary>Reads <paramref name="stream"/> to its end. Never throws for a closed or broken pipe.</summary>
    public async Task ReadToEndAsync(Stream stream)
    {
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    return;
                }

                Append(chunk.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process is gone and its pipe with it: what was read is all there is.
        }
    }

    /// <summary>The kept bytes as UTF-8 text (invalid sequences replaced).</summary>
    public string Text()
    {
        lock (_lock)
        {
            return Encoding.UTF8.GetString(_buffer, 0, _length);
        }
    }

    /// <summary>The last <paramref name="lines"/> lines, at most <paramref name="maxChars"/> characters (cut from the front).</summary>
    public string LastLines(int lines, int maxChars)
    {
        var all = Text().Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n', '\r', ' ', '\t');
        var kept = all.Split('\n').TakeLast(Math.Max(lines, 1));
        var text = string.Join('\n', kept);
        return text.Length > maxChars ? "…" + text[^maxChars..] : text;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (data.Length >= capacity)
            {
                Dropped += _length + data.Length - capacity;
                data[^capacity..].CopyTo(_buffer);
                _length = capacity;
                return;
            }

            if (_length + data.Length > _buffer.Length)
            {
                // Keep the last (capacity - data.Length) bytes, then append.
                var keep = Math.Min(_length, capacity - data.Length);
                if (_buffer.Length < capacity * 2 && _length + data.Length <= capacity * 2)
                {
                    Array.Resize(ref _buffer, Math.Min(capacity * 2, Math.Max(_buffer.Length * 2, _length + data.Length)));
                    keep = _length;
                }
                else
                {
                    Dropped += _length - keep;
                    Buffer.BlockCopy(_buffer, _length - keep, _buffer, 0, keep);
                }

                _length = keep;
            }

            data.CopyTo(_buffer.AsSpan(_length));
            _length += data.Length;
        }
    }
}
