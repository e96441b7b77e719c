using System.Text.RegularExpressions;

namespace MarginOrleans.Cli.Tests;

/// <summary>
/// The README's walkthrough as a list of shell lines: the ```bash blocks from "## A two-minute
/// walkthrough" up to the next "## " section (its "###" subsections included), each line split
/// into its command and its comment (what the README says it does).
/// </summary>
public static partial class ReadmeWalkthrough
{
    public const string Section = "## A two-minute walkthrough";

    public sealed record Line(string Command, string Comment)
    {
        /// <summary>The README says this line fails, and how: "FailedPrecondition: close the position first".</summary>
        public bool Fails => Comment.StartsWith("FailedPrecondition", StringComparison.Ordinal);

        /// <summary>Words the README quotes as the line's output, e.g. "1 trigger(s) fired".</summary>
        public IEnumerable<string> Quoted => QuotedText().Matches(Comment).Select(m => m.Groups[1].Value);

        public override string ToString() => Comment.Length > 0 ? $"{Command}   # {Comment}" : Command;
    }

    public static IReadOnlyList<Line> Lines(string readme)
    {
        var text = readme.ReplaceLineEndings("\n");
        var start = text.IndexOf("\n" + Section + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"README.md has no '{Section}' section");
        }

        var end = text.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var section = text[start..(end < 0 ? text.Length : end)];
        return [.. BashBlock().Matches(section)
            .SelectMany(block => block.Groups[1].Value.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#')) // a comment continued on its own line
            .Select(Split)];
    }

    private static Line Split(string line)
    {
        var comment = CommentStart().Match(line);
        return comment.Success ? new Line(line[..comment.Index].Trim(), line[(comment.Index + comment.Length)..].Trim()) : new Line(line, "");
    }

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"\s#\s*")]
    private static partial Regex CommentStart();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedText();
}
