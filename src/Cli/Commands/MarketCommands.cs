using System.CommandLine;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli.Commands;

public static class MarketCommands
{
    public static Command Markets()
    {
        var command = new Command("markets", "list markets with mark price, sizes and leverage cap");
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Api.V1.Markets.MarketsClient(channel).ListMarketsAsync(new ListMarketsRequest(), headers, cancellationToken: ct);
            var table = Render.Narrow("markets", "symbol", "mark", "index", "tick", "lot", "taker fee", "max lev", "triggers");
            foreach (var m in reply.Markets)
            {
                table.AddRow(m.Symbol, m.MarkPrice, m.IndexPrice, m.TickSize, m.LotSize, m.TakerFeeRate, m.LeverageMax + "x", m.OpenTriggers.ToString());
            }

            AnsiConsole.Write(table);
        }, cancel));
        return command;
    }

    public static Command Funding()
    {
        var symbol = new Argument<string>("symbol") { Description = "e.g. BTC-USDT" };
        var command = new Command("funding", "a market's funding: the rate the next funding time would pay, when, and the latest payments") { symbol };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var client = new Api.V1.Markets.MarketsClient(channel);
            var request = new GetMarketRequest { Symbol = parse.GetValue(symbol) };
            var market = await client.GetMarketAsync(request, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"{market.Symbol}  next funding {market.NextFundingTime}  estimated rate {Percent(market.FundingRateEstimate)}  last {Percent(market.LastFundingRate)}  (positive: longs pay)");
            var table = Render.Narrow("funding history", "time (UTC)", "rate", "mark");
            foreach (var p in (await client.GetFundingHistoryAsync(request, headers, cancellationToken: ct)).Payments.Reverse())
            {
                table.AddRow(p.Time, Percent(p.Rate), p.MarkPrice);
            }

            AnsiConsole.Write(table);
        }, cancel));
        return command;
    }

    private static string Percent(string rate) =>
        decimal.TryParse(rate, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var r)
            ? (r * 100m).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) + "%"
            : "--";
}
