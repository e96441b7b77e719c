extern alias cli;

using System.Globalization;
using CliFigures = cli::MarginOrleans.Cli.Figures;
using CliSide = cli::MarginOrleans.Api.V1.Side;

namespace MarginOrleans.Web.Tests;

/// <summary>The panel formats every figure as the CLI does: its figures.js against src/Cli/Figures.cs, value by value.</summary>
[Collection(WebCollection.Name)]
public sealed class PanelFiguresTests(WebFixture web)
{
    private static readonly string[] Amounts =
        ["0", "10", "-2010", "0.1", "7990.5", "1.123456789", "12345.678912345", "0.000000005", "0.000000015", "-0.000000025", "100.10000000", "99999999999.99999999"];

    private static readonly string[] Prices = ["20000", "18072.28915663", "18072.25", "18072.35", "21912.3505976", "0.05", "-5.05", "", "abc"];

    private static readonly string[] Ratios = ["0", "0.04", "0.123456", "1", "0.00005", "0.00015", "0.123449999", "-0.125", "2.5"];

    [Fact]
    public async Task PanelFigures_AreTheClisFigures()
    {
        var page = await web.Page("#trader");
        var cli = new CliFigures(new Dictionary<string, decimal> { ["BTC-USDT"] = 0.1m, ["DOGE-USDT"] = 0.00010m });
        var expected = Amounts.Select(CliFigures.Money)
            .Concat(Prices.SelectMany(p => new[] { cli.Price("BTC-USDT", p), cli.Trigger("BTC-USDT", CliSide.Long, p), cli.Trigger("BTC-USDT", CliSide.Short, p), cli.Price("DOGE-USDT", p), cli.Price("ETH-USDT", p) }))
            .Concat(Ratios.Select(r => CliFigures.Ratio(decimal.Parse(r, CultureInfo.InvariantCulture))))
            .ToArray();

        var shown = await page.EvaluateAsync<string[]>("""
            async ([amounts, prices, ratios]) => {
              const f = await import('/js/figures.js');
              const ticks = new f.Ticks([{ symbol: 'BTC-USDT', tickSize: '0.1' }, { symbol: 'DOGE-USDT', tickSize: '0.00010' }]);
              return [
                ...amounts.map(f.money),
                ...prices.flatMap(p => [ticks.price('BTC-USDT', p), ticks.trigger('BTC-USDT', 'SIDE_LONG', p), ticks.trigger('BTC-USDT', 'SIDE_SHORT', p), ticks.price('DOGE-USDT', p), ticks.price('ETH-USDT', p)]),
                ...ratios.map(f.ratio),
              ];
            }
            """, new object[] { Amounts, Prices, Ratios });

        Assert.Equal(expected, shown);
    }
}
