using static MarginOrleans.Web.Tests.WebFixture;

namespace MarginOrleans.Web.Tests;

/// <summary>The trader's view in chromium: sign in with a key, open from the form, see it live, set a take-profit, see a liquidation arrive.</summary>
[Collection(WebCollection.Name)]
public sealed class TraderPanelTests(WebFixture web)
{
    [Fact]
    public async Task Trader_OpensFromTheForm_SeesItLive_SetsATakeProfit_AndSeesTheLiquidationArrive()
    {
        var symbol = await web.Market("20000");
        var (key, _) = await web.Trader("10000");
        var page = await web.Page("#trader");

        await page.FillAsync("#trader-key", key);
        await page.ClickAsync("#trader-login button[type=submit]");
        await Expect(page.Locator("#trader")).ToHaveAttributeAsync("data-ready", "true");
        Assert.Equal(key, await page.EvaluateAsync<string>("sessionStorage.getItem('margin.traderKey')"));
        Assert.Null(await page.EvaluateAsync<string?>("localStorage.getItem('margin.traderKey')"));

        // The preview shows the liquidation price before anything is opened: 18,072.289… on the tick, rounded toward the mark.
        await page.SelectOptionAsync("#open-form select[name=symbol]", symbol);
        await page.FillAsync("#open-form input[name=quantity]", "1");
        await page.FillAsync("#open-form input[name=leverage]", "10");
        await Expect(page.Locator("#open-confirm")).ToBeDisabledAsync();
        await page.ClickAsync("#open-preview");
        await Expect(page.Locator("#preview [data-field=liquidationPrice] dd")).ToHaveTextAsync("18072.3");
        await Expect(page.Locator("#preview [data-field=initialMargin] dd")).ToHaveTextAsync("2000.00");

        await page.ClickAsync("#open-confirm");
        var row = page.Locator($"#positions tr[data-symbol='{symbol}']");
        await Expect(row.Locator("[data-field=liquidationPrice]")).ToHaveTextAsync("18072.3");
        await Expect(row.Locator("[data-field=entryPrice]")).ToHaveTextAsync("20000.00");
        await Expect(row.Locator("[data-field=margin]")).ToHaveTextAsync("2000.00");
        await Expect(row.Locator("[data-field=marginRatio]")).ToHaveTextAsync("4.00%"); // MM 80 over equity 2,000
        await Expect(page.Locator("#events li[data-kind=PositionOpened]")).ToHaveCountAsync(1); // from the event stream
        await Expect(page.Locator("#journal tr[data-kind=PositionOpened]")).ToHaveCountAsync(1);

        // A take-profit from its form: the row shows it on the tick.
        await page.SelectOptionAsync("#tpsl-form select[name=symbol]", symbol);
        await page.FillAsync("#tpsl-form input[name=takeProfitPrice]", "25000");
        await page.ClickAsync("#tpsl-form button[type=submit]");
        await Expect(row.Locator("[data-field=takeProfitStopLoss]")).ToHaveTextAsync("25000.0 / --");
        await Expect(page.Locator("#events li[data-kind=TakeProfitStopLossSet]")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Screenshot("trader.png"), FullPage = true });

        // A new mark alone (no journal row) re-marks the row: uPnL and ROE follow the marks stream.
        await web.Price(symbol, "20500");
        await Expect(row.Locator("[data-field=markPrice]")).ToHaveTextAsync("20500.0");
        await Expect(row.Locator("[data-field=unrealizedPnl]")).ToHaveTextAsync("500.00");
        await Expect(row.Locator("[data-field=roePercent]")).ToHaveTextAsync("25.00%");

        // The operator moves the mark through the liquidation price: the event arrives and the row goes.
        await web.Price(symbol, "18000");
        await Expect(page.Locator($"#events li[data-kind=Liquidation][data-symbol='{symbol}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#positions tbody tr")).ToHaveCountAsync(0);
        await Expect(page.Locator("#trader-error")).ToHaveTextAsync("");
    }

    [Fact]
    public async Task ARefusedCommand_ShowsItsReason_AndTheKeyIsGoneOnSignOut()
    {
        var symbol = await web.Market("20000");
        var (key, _) = await web.Trader("100");
        var page = await web.Page("#trader");
        await page.FillAsync("#trader-key", key);
        await page.ClickAsync("#trader-login button[type=submit]");
        await Expect(page.Locator("#trader")).ToHaveAttributeAsync("data-ready", "true");

        await page.SelectOptionAsync("#open-form select[name=symbol]", symbol);
        await page.FillAsync("#open-form input[name=quantity]", "0.0005");
        await page.ClickAsync("#open-preview");
        await Expect(page.Locator("#trader-error")).ToContainTextAsync("QuantityNotMultipleOfLot");
        await Expect(page.Locator("#open-confirm")).ToBeDisabledAsync();

        await page.ClickAsync("#trader-logout");
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('margin.traderKey')"));
        await Expect(page.Locator("#trader-body")).ToBeHiddenAsync();
    }
}
