using System.Text.RegularExpressions;
using MarginOrleans.Api.V1;
using Xunit;
using Xunit.Abstractions;

namespace MarginOrleans.Cli.Tests;

/// <summary>
/// README.md's walkthrough run as written, line by line and in order, through the built `margin`
/// against a fresh silo and gateway: the README cannot drift from what works. Marks move only when
/// published (the walkthrough's own `margin admin price`); the test keeps them fresh as the feed would.
/// </summary>
public sealed partial class ReadmeWalkthroughTests(ClusterProcesses cluster, ITestOutputHelper transcript) : IClassFixture<ClusterProcesses>
{
    private const string OperatorKeyFile = "$(cat .data/operator-key)";

    private readonly Dictionary<string, string> marks = new() { ["BTC-USDT"] = "60000", ["ETH-USDT"] = "3000", ["SOL-USDT"] = "150" };

    [Fact]
    public async Task Walkthrough_RunAsWritten_EveryLineDoesWhatTheReadmeSays()
    {
        var lines = ReadmeWalkthrough.Lines(await File.ReadAllTextAsync(Path.Combine(MarginProcess.Root, "README.md")));
        Assert.Contains(lines, l => l.Command.StartsWith("margin mode ETH-USDT cross", StringComparison.Ordinal)); // the subsections are read too
        var key = "";
        var printedKeys = new Dictionary<string, string>(); // "<alice's key>": what create-account printed
        foreach (var line in lines)
        {
            if (AliasLine().Match(line.Command) is { Success: true } alias)
            {
                Assert.Equal("src/Cli/bin/Release/net10.0/margin.dll", alias.Groups[1].Value); // what run.sh builds
                continue;
            }

            if (ExportLine().Match(line.Command) is { Success: true } export)
            {
                key = Key(export.Groups[1].Value, printedKeys, line);
                continue;
            }

            var command = MarginLine().Match(line.Command);
            Assert.True(command.Success, $"the walkthrough has a line this test cannot run: {line}");
            var args = command.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var lineKey = command.Groups["key"].Success ? Key(command.Groups["key"].Value, printedKeys, line) : key;
            if (args is ["watch"])
            {
                await WatchPrintsALinePerMark(lineKey);
                continue;
            }

            await cluster.Publish(marks);
            var result = await MarginProcess.Run(args, Environment(lineKey));
            var context = $"README line: {line}\n{result}";
            transcript.WriteLine($"$ {line}\n{result.Out}{result.Error}");
            if (line.Fails)
            {
                Assert.True(result.ExitCode == 1, context);
                Assert.Single(result.ErrorLines);
                Assert.StartsWith("FailedPrecondition: ", result.ErrorLines[0]);
            }
            else
            {
                Assert.True(result.ExitCode == 0 && result.Error.Length == 0, context);
            }

            Assert.All(line.Quoted, quoted => Assert.True(result.Out.Contains(quoted, StringComparison.Ordinal), $"\"{quoted}\" not shown\n{context}"));
            if (args is ["admin", "create-account", "--id", var created])
            {
                printedKeys[$"<{created}'s key>"] = ApiKeyShown().Match(result.Out).Groups[1].Value;
            }
            else if (args is ["admin", "rotate-key", var rotated])
            {
                printedKeys[$"<{rotated}'s new key>"] = ApiKeyShown().Match(result.Out).Groups[1].Value;
            }
            else if (args is ["admin", "price", var symbol, var price])
            {
                marks[symbol] = price;
            }
        }
    }

    /// <summary>Redirected, `margin watch` prints one line per mark and per account event: no redraws, no tables.</summary>
    [Fact]
    public async Task Watch_Redirected_PrintsOneLinePerMarkAndPerEvent()
    {
        var operations = new Api.V1.Operations.OperationsClient(cluster.Channel);
        var created = await operations.CreateAccountAsync(new CreateAccountRequest { RequestId = Guid.NewGuid().ToString("N"), AccountId = "" }, cluster.Operator);
        await operations.DepositAsync(new DepositRequest { RequestId = Guid.NewGuid().ToString("N"), AccountId = created.AccountId, Amount = "100" }, cluster.Operator);
        await cluster.Publish(marks);

        await using var watch = WatchProcess.Start(Environment(created.ApiKey));
        var snapshot = new[] { await watch.Next(), await watch.Next(), await watch.Next() };
        Assert.Equal(["BTC-USDT mark 60000.0", "ETH-USDT mark 3000.00", "SOL-USDT mark 150.000"], snapshot.Select(WithoutClock).Order());

        await operations.DepositAsync(new DepositRequest { RequestId = Guid.NewGuid().ToString("N"), AccountId = created.AccountId, Amount = "5" }, cluster.Operator);
        Assert.Matches(@"^#2 \d\d:\d\d:\d\d Deposit .* wallet 105\.00$", await watch.Next());
        await cluster.Publish(new Dictionary<string, string> { ["SOL-USDT"] = "151" });
        Assert.Equal("SOL-USDT mark 151.000", WithoutClock(await watch.Next()));
        await cluster.Publish(new Dictionary<string, string> { ["SOL-USDT"] = "150" });
        Assert.Equal("SOL-USDT mark 150.000", WithoutClock(await watch.Next()));

        Assert.All(watch.Seen, l => Assert.DoesNotContain(l, c => c is '\u001b' or '─' or '│')); // plain text, not a drawn table
    }

    private async Task WatchPrintsALinePerMark(string key)
    {
        await cluster.Publish(marks);
        await using var watch = WatchProcess.Start(Environment(key));
        var snapshot = new[] { await watch.NextMark(), await watch.NextMark(), await watch.NextMark() };
        Assert.Equal(marks.Keys.Order(), snapshot.Select(l => WithoutClock(l).Split(' ')[0]).Order());
        await cluster.Publish(new Dictionary<string, string> { ["BTC-USDT"] = marks["BTC-USDT"] });
        Assert.StartsWith("BTC-USDT mark ", WithoutClock(await watch.NextMark()));
    }

    private Dictionary<string, string> Environment(string key) => new() { ["MARGIN_GATEWAY"] = cluster.Gateway, ["MARGIN_API_KEY"] = key };

    /// <summary>The operator's key file, or a key an earlier line printed ("&lt;alice's key&gt;").</summary>
    private string Key(string value, Dictionary<string, string> printedKeys, ReadmeWalkthrough.Line line) =>
        value == OperatorKeyFile ? cluster.OperatorKey
            : printedKeys.TryGetValue(value, out var printed) ? printed
            : throw new Xunit.Sdk.XunitException($"the walkthrough uses a key no earlier line printed: {line}");

    private static string WithoutClock(string line) => Regex.IsMatch(line, @"^\d\d:\d\d:\d\d ") ? line[9..] : line;

    [GeneratedRegex("""^alias margin="dotnet \$PWD/(\S+)"$""")]
    private static partial Regex AliasLine();

    [GeneratedRegex(@"^export MARGIN_API_KEY=(.+)$")]
    private static partial Regex ExportLine();

    [GeneratedRegex(@"^(?:MARGIN_API_KEY=(?<key>\$\([^)]*\)|<[^>]*>) )?margin(?<args>(?: \S+)*)$")]
    private static partial Regex MarginLine();

    [GeneratedRegex(@"api key (\S+)")]
    private static partial Regex ApiKeyShown();
}
