using System.Globalization;

namespace HpBandSter.Client;

/// <summary>
/// Formats doubles as Python's <c>repr</c> and <c>json.dumps</c> do: the shortest text that round-trips, always with
/// a decimal point or an exponent (<c>9.0</c>, <c>0.0123</c>, <c>1e-05</c>, <c>1e+16</c>), so JSON readers see floats.
/// </summary>
internal static class PythonFloat
{
    /// <summary>The Python text of <paramref name="value"/>; <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> as json.dumps writes them.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        var sign = double.IsNegative(value) ? "-" : string.Empty;
        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));

        // Python (repr mode 'r') writes fixed notation when the point falls in -4 < position <= 16.
        if (pointPosition > -4 && pointPosition <= 16)
        {
            if (pointPosition <= 0)
            {
                return $"{sign}0.{new string('0', -pointPosition)}{digits}";
            }

            if (pointPosition < digits.Length)
            {
                return $"{sign}{digits[..pointPosition]}.{digits[pointPosition..]}";
            }

            return $"{sign}{digits}{new string('0', pointPosition - digits.Length)}.0";
        }

        var mantissa = digits.Length == 1 ? digits : $"{digits[0]}.{digits[1..]}";
        var exponent = pointPosition - 1;
        return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
    }

    /// <summary>
    /// The shortest round-trip significant digits of a non-negative finite value and the position of the decimal
    /// point relative to them (value = 0.d1d2… × 10^position); zero is ("0", 1).
    /// </summary>
    private static (string Digits, int PointPosition) ShortestDigits(double value)
    {
        if (value == 0)
        {
            return ("0", 1);
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture); // shortest round-trip, e.g. 1E-05, 123.45
        var exponent = 0;
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerLength = dot >= 0 ? dot : text.Length;
        var allDigits = text.Replace(".", string.Empty, StringComparison.Ordinal);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        return (digits, integerLength - leadingZeros + exponent);
    }
}
