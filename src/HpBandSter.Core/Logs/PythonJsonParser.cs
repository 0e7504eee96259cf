using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace HpBandSter.Logs;

/// <summary>
/// Parses one JSON document as Python's <c>json.loads</c> does: accepts the bare literals <c>NaN</c>,
/// <c>Infinity</c> and <c>-Infinity</c> (which System.Text.Json rejects), keeps object key order, lets a repeated
/// key keep its first position but take its last value, and distinguishes ints (no fraction, no exponent:
/// stored as <see cref="long"/>) from floats (stored as <see cref="double"/>).
/// </summary>
/// <remarks>
/// Integers outside the range of <see cref="long"/> are stored as <see cref="double"/> (Python would keep an
/// exact int). Control characters inside strings are rejected, as in Python's default strict mode.
/// </remarks>
internal sealed class PythonJsonParser
{
    private const int MaxDepth = 256;
    private readonly string _text;
    private int _pos;

    private PythonJsonParser(string text) => _text = text;

    /// <summary>Parses a complete document (surrounding whitespace allowed).</summary>
    /// <exception cref="FormatException">The text is not one valid JSON document.</exception>
    public static JsonNode? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new PythonJsonParser(text);
        parser.SkipWhitespace();
        var node = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (parser._pos != text.Length)
        {
            throw parser.Error("unexpected text after the JSON value");
        }

        return node;
    }

    private JsonNode? ParseValue(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("nesting is too deep");
        }

        if (_pos >= _text.Length)
        {
            throw Error("unexpected end of text, expected a value");
        }

        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return ParseObject(depth);
            case '[':
                return ParseArray(depth);
            case '"':
                return JsonValue.Create(ParseString());
            case 't':
                ExpectWord("true");
                return JsonValue.Create(true);
            case 'f':
                ExpectWord("false");
                return JsonValue.Create(false);
            case 'n':
                ExpectWord("null");
                return null;
            case 'N':
                ExpectWord("NaN");
                return JsonValue.Create(double.NaN);
            case 'I':
                ExpectWord("Infinity");
                return JsonValue.Create(double.PositiveInfinity);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ParseNumber();
                }

                throw Error($"unexpected character '{c}'");
        }
    }

    private JsonObject ParseObject(int depth)
    {
        _pos++; // '{'
        var obj = new JsonObject();
        SkipWhitespace();
        if (Peek() == '}')
        {
            _pos++;
            return obj;
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Error("expected a property name in double quotes");
            }

            var key = ParseString();
            SkipWhitespace();
            Expect(':');
            SkipWhitespace();
            var value = ParseValue(depth + 1);

            // Python's dict: a repeated key keeps its first position and takes the last value.
            obj[key] = value;
            SkipWhitespace();
            var next = Peek();
            _pos++;
            if (next == '}')
            {
                return obj;
            }

            if (next != ',')
            {
                _pos--;
                throw Error("expected ',' or '}' in an object");
            }
        }
    }

    private JsonArray ParseArray(int depth)
    {
        _pos++; // '['
        var array = new JsonArray();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _pos++;
            return array;
        }

        while (true)
        {
            SkipWhitespace();
            array.Add(ParseValue(depth + 1));
            SkipWhitespace();
            var next = Peek();
            _pos++;
            if (next == ']')
            {
                return array;
            }

            if (next != ',')
            {
                _pos--;
                throw Error("expected ',' or ']' in an array");
            }
        }
    }

    private string ParseString()
    {
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_pos++];
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c < ' ')
            {
                _pos--;
                throw Error("control character inside a string");
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                throw Error("unterminated escape");
            }

            var escape = _text[_pos++];
            switch (escape)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length
                        || !int.TryParse(_text.AsSpan(_pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("invalid \\u escape");
                    }

                    _pos += 4;
                    sb.Append((char)code);
                    break;
                default:
                    _pos--;
                    throw Error($"invalid escape '\\{escape}'");
            }
        }
    }

    private JsonNode ParseNumber()
    {
        var start = _pos;
        if (Peek() == '-')
        {
            _pos++;
            if (string.CompareOrdinal(_text, _pos, "Infinity", 0, 8) == 0)
            {
                _pos += 8;
                return JsonValue.Create(double.NegativeInfinity);
            }
        }

        if (Peek() == '0')
        {
            _pos++;
        }
        else if (Peek() is >= '1' and <= '9')
        {
            SkipDigits();
        }
        else
        {
            throw Error("invalid number");
        }

        var isFloat = false;
        if (Peek() == '.')
        {
            _pos++;
            if (Peek() is not (>= '0' and <= '9'))
            {
                throw Error("invalid number: digits expected after '.'");
            }

            SkipDigits();
            isFloat = true;
        }

        if (Peek() is 'e' or 'E')
        {
            _pos++;
            if (Peek() is '+' or '-')
            {
                _pos++;
            }

            if (Peek() is not (>= '0' and <= '9'))
            {
                throw Error("invalid number: digits expected in the exponent");
            }

            SkipDigits();
            isFloat = true;
        }

        var span = _text.AsSpan(start, _pos - start);
        if (!isFloat && long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return JsonValue.Create(double.Parse(span, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private void SkipDigits()
    {
        while (_pos < _text.Length && _text[_pos] is >= '0' and <= '9')
        {
            _pos++;
        }
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"expected '{c}'");
        }

        _pos++;
    }

    private void ExpectWord(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
        {
            throw Error($"unexpected character '{_text[_pos]}'");
        }

        _pos += word.Length;
    }

    private FormatException Error(string message) =>
        new($"Invalid JSON at character {_pos + 1}: {message}.");
}
