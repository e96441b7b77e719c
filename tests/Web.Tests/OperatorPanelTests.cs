using System.Globalization;
using static MarginOrleans.Web.Tests.WebFixture;

namespace MarginOrleans.Web.Tests;

/// <summary>
/// The operator's view in chromium: the heatmap's numbers against the positions themselves, and the
/// stress test's list against what a real move of the mark then liquidates.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class OperatorPanelTests(WebFixture web)
{
    /// <summary>Longs and shorts at several leverages (entry 20,000): liquidation prices on both sides of the mark.</summary>
    private static readonly (Side Side, string Quantity, int Leverage)[] Book =
    [
        (Side.Long, "0.5", 20), (Side.Long, "0.2", 20), (Side.Long, "1", 10), (Side.Long, "0.3", 5),
        (Side.Short, "0.5", 20), (Side.Short, "0.4", 10), (Side.Short, "0.1", 10),
    ];

    [Fact]
    public async Task Operator_SeesTheHeatmapSumThePositions_AndTheStressTestListWhatARealMoveLiquidates()
    {
        var symbol = await web.Market("20000");
        var positions = await OpenBook(symbol);
        await web.Operations.TopUpInsuranceFundAsync(new TopUpInsuranceFundRequest { RequestId = RequestId(), Symbol = symbol, Amount = "10000" }, Bearer(web.OperatorKey));
        var page = await web.Page("#operator");
        await page.FillAsync("#operator-key", web.OperatorKey);
        await page.ClickAsync("#operator-login button[type=submit]");
        await Expect(page.Locator("#operator")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(page.Locator($"#markets tr[data-symbol='{symbol}'] [data-field=breaker]")).ToHaveTextAsync("clear");

        await page.SelectOptionAsync("#heatmap-symbol", symbol);
        await page.FillAsync("#heatmap-form input[name=bucketSize]", "500");
        await page.FillAsync("#heatmap-form input[name=bucketsEachSide]", "8");
        await page.ClickAsync("#heatmap-form button[type=submit]");

        // Each bucket's figures are the sum of quantity × entry of the positions whose liquidation price lies in it.
        var expected = positions.GroupBy(p => Math.Floor(p.Liquidation / 500m) * 500m).OrderBy(g => g.Key).Select(g => (
            Low: Text(g.Key),
            Longs: Text(g.Where(p => p.Side == Side.Long).Sum(p => p.Quantity * p.Entry)),
            Shorts: Text(g.Where(p => p.Side == Side.Short).Sum(p => p.Quantity * p.Entry)))).ToList();
        var rows = page.Locator($"#heatmap-table[data-symbol='{symbol}'] tbody tr");
        await Expect(rows).ToHaveCountAsync(expected.Count);
        var shown = new List<(string, string, string)>();
        for (var i = 0; i < expected.Count; i++)
        {
            var row = rows.Nth(i);
            shown.Add((await row.GetAttributeAsync("data-low") ?? "",
                Text(decimal.Parse(await row.Locator("[data-field=longNotional]").GetAttributeAsync("data-value") ?? "", CultureInfo.InvariantCulture)),
                Text(decimal.Parse(await row.Locator("[data-field=shortNotional]").GetAttributeAsync("data-value") ?? "", CultureInfo.InvariantCulture))));
        }

        Assert.Equal(expected, shown);
        await Expect(page.Locator("#heatmap-chart rect")).ToHaveCountAsync(expected.Sum(e => (e.Longs == "0" ? 0 : 1) + (e.Shorts == "0" ? 0 : 1)));

        // The stress test, read-only; then the same move for real.
        await page.FillAsync("#stress-form input[name=markPrice]", "18050");
        await page.ClickAsync("#stress-form button[type=submit]");
        await Expect(page.Locator("#stress-result")).ToHaveAttributeAsync("data-runs", "1");
        var predicted = (await page.Locator("#stress-result tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.account)")).Order().ToList();
        await Expect(page.Locator("#stress-summary [data-field=fundPays]")).ToContainTextAsync("665.00");
        await Expect(page.Locator("#stress-summary [data-field=wouldDeleverage]")).ToContainTextAsync("no");
        await Expect(page.Locator("#mark-chart svg")).ToHaveAttributeAsync("data-points", "1");
        await page.ScreenshotAsync(new() { Path = Screenshot("operator.png"), FullPage = true });

        await web.Price(symbol, "18050");
        await Expect(page.Locator("#mark-chart svg")).ToHaveAttributeAsync("data-points", "2"); // the line grows with the marks stream
        var trading = new Trading(web.Grains);
        await trading.Settled(async () => (await StillOpen(positions)).Count == positions.Count - predicted.Count, "the crossed positions liquidated");
        var liquidated = positions.Select(p => p.AccountId).Except(await StillOpen(positions)).Order().ToList();
        Assert.Equal(3, predicted.Count);
        Assert.Equal(predicted, liquidated);
        await Expect(page.Locator("#operator-error")).ToHaveTextAsync("");
    }

    private async Task<List<Opened>> OpenBook(string symbol) => [.. await Task.WhenAll(Book.Select(async order =>
    {
        var (key, accountId) = await web.Trader("100000");
        var reply = await web.Positions.OpenPositionAsync(new OpenPositionRequest
        {
            RequestId = RequestId(), Symbol = symbol, Side = order.Side, Quantity = order.Quantity, Leverage = order.Leverage,
        }, Bearer(key));
        return new Opened(key, accountId, symbol, order.Side, Parse(reply.Position.Quantity), Parse(reply.Position.EntryPrice), Parse(reply.Position.LiquidationPrice));
    }))];

    private async Task<List<string>> StillOpen(List<Opened> positions) => [.. (await Task.WhenAll(positions.Select(async p =>
        (await web.Positions.ListPositionsAsync(new ListPositionsRequest(), Bearer(p.Key))).Positions.Any(x => x.Symbol == p.Symbol) ? p.AccountId : null)))
        .OfType<string>()];

    private static decimal Parse(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>A decimal as the API writes it, trailing zeros dropped, so 500.0 and 500 compare equal.</summary>
    private static string Text(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private sealed record Opened(string Key, string AccountId, string Symbol, Side Side, decimal Quantity, decimal Entry, decimal Liquidation);
}
