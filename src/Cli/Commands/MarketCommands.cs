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
}
