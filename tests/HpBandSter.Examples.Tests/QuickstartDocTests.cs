using System.Text.RegularExpressions;

namespace HpBandSter.Examples.Tests;

/// <summary>docs/quickstart.md quotes the example programs: every C# and JSON block must still be in the file it names.</summary>
public sealed partial class QuickstartDocTests
{
    [Fact]
    public void Every_code_block_of_the_quickstart_is_taken_from_the_example_file_named_before_it()
    {
        var root = RepositoryRoot();
        var doc = File.ReadAllText(Path.Combine(root, "docs", "quickstart.md")).ReplaceLineEndings("\n");
        var blocks = CodeBlock().Matches(doc);
        Assert.True(blocks.Count >= 10, $"expected at least 10 C#/JSON blocks in docs/quickstart.md, found {blocks.Count}");

        foreach (Match block in blocks)
        {
            var before = doc[..block.Index];
            var named = FileName().Matches(before);
            Assert.True(named.Count > 0, $"no example file is named before the block at offset {block.Index}:\n{block.Value}");
            var path = named[^1].Groups[1].Value;
            var file = Path.Combine(root, path);
            Assert.True(File.Exists(file), $"docs/quickstart.md names {path}, which does not exist");

            var quoted = Lines(block.Groups[1].Value);
            var source = Lines(File.ReadAllText(file));
            var found = Enumerable.Range(0, Math.Max(0, source.Count - quoted.Count + 1))
                .Any(start => quoted.Select((line, i) => source[start + i] == line).All(same => same));
            Assert.True(found, $"this block of docs/quickstart.md is no longer in {path}:\n{block.Groups[1].Value}");
        }
    }

    /// <summary>Lines without surrounding white space (the doc removes the file's indentation).</summary>
    private static List<string> Lines(string text) => [.. text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim())];

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HpBandSter.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No HpBandSter.Orleans.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"^```(?:csharp|json)\n(.*?)\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"`(examples/[^`]+\.cs)`")]
    private static partial Regex FileName();
}
