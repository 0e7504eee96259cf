using System.Text;

namespace HpBandSter.Client.Tests.Analysis;

/// <summary>A strict RFC 4180 reader for the tests: CRLF records, quoted fields with doubled quotes.</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                i++;
                while (true)
                {
                    Assert.True(i < text.Length, "unterminated quoted field");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }
            }

            while (i < text.Length && text[i] != ',' && text[i] != '\r')
            {
                Assert.NotEqual('"', text[i]);
                Assert.NotEqual('\n', text[i]); // a bare LF must be inside quotes
                field.Append(text[i++]);
            }

            fields.Add(field.ToString());
            field.Clear();
            if (i < text.Length && text[i] == ',')
            {
                i++;
                continue;
            }

            Assert.True(i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n', $"a record must end with CRLF (at {i})");
            i += 2;
            records.Add(fields.ToArray());
            fields.Clear();
        }

        return records;
    }
}
