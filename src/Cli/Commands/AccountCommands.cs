using System.CommandLine;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli.Commands;

public static class AccountCommands
{
    public static Command Account()
    {
        var command = new Command("account", "your wallet, equity and open positions");
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var account = await new Accounts.AccountsClient(channel).GetAccountAsync(new GetAccountRequest(), headers, cancellationToken: ct);
            AnsiConsole.Write(Render.Account(account));
            AnsiConsole.Write(Render.Positions(account.Positions, await Figures.Read(channel, headers, ct)));
        }, cancel));
        return command;
    }

    public static Command Journal()
    {
        var from = new Option<long?>("--from") { Description = "oldest first from this sequence number; left out: the newest rows, newest first" };
        var limit = new Option<int>("--limit") { Description = "rows (1 to 500)", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 500)
            {
                r.AddError("--limit must be 1 to 500");
            }
        });
        var symbol = new Option<string>("--symbol") { Description = "only this symbol's rows (of those read)", DefaultValueFactory = _ => "" };
        var csv = new Option<bool>("--csv") { Description = "comma-separated values, exact decimals, for a spreadsheet" };
        var command = new Command("journal", "your trading journal: every money movement and position event") { from, limit, symbol, csv };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var client = new Accounts.AccountsClient(channel);
            var count = parse.GetValue(limit);
            var newest = parse.GetValue(from) is null;
            var start = parse.GetValue(from)
                ?? Math.Max(1, (await client.GetAccountAsync(new GetAccountRequest(), headers, cancellationToken: ct)).JournalSequence - count + 1);
            var reply = await client.GetJournalAsync(new GetJournalRequest { FromSequence = start, Limit = count }, headers, cancellationToken: ct);
            var only = parse.GetValue(symbol)!.ToUpperInvariant();
            var rows = reply.Entries.Where(e => only.Length == 0 || e.Symbol == only);
            JournalRows.Write(newest ? rows.Reverse() : rows, parse.GetValue(csv), await Figures.Read(channel, headers, ct));
            if (!newest && reply.NextSequence > 0)
            {
                AnsiConsole.MarkupLine($"more: --from {reply.NextSequence}");
            }
        }, cancel));
        return command;
    }

    /// <summary>
    /// Under <c>funding</c> (a market's): <c>margin funding history</c>, the funding every position of
    /// the account paid or received, oldest first, a page at a time.
    /// </summary>
    public static Command FundingHistory()
    {
        var from = new Option<string>("--from") { Description = "from this time on, RFC 3339 (2026-12-03T08:00:00Z); left out: from the first", DefaultValueFactory = _ => "" };
        var limit = new Option<int>("--limit") { Description = "rows (1 to 500)", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 500)
            {
                r.AddError("--limit must be 1 to 500");
            }
        });
        var page = new Option<string>("--page") { Description = "the page a previous call named (\"more: --page …\")", DefaultValueFactory = _ => "" };
        var csv = new Option<bool>("--csv") { Description = "comma-separated values, exact decimals, for a spreadsheet" };
        var command = new Command("history", "your funding, every symbol: paid negative, received positive (an isolated position's margin pays it, so its wallet Δ is 0)")
        {
            from, limit, page, csv,
        };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Accounts.AccountsClient(channel).ListFundingPaymentsAsync(new ListFundingPaymentsRequest
            {
                FromTime = parse.GetValue(from), PageSize = parse.GetValue(limit), PageToken = parse.GetValue(page),
            }, headers, cancellationToken: ct);
            JournalRows.Write(reply.Payments, parse.GetValue(csv), await Figures.Read(channel, headers, ct));
            if (reply.NextPageToken.Length > 0 && !parse.GetValue(csv))
            {
                AnsiConsole.MarkupLineInterpolated($"more: --page {reply.NextPageToken}");
            }
        }, cancel));
        return command;
    }

    public static Command Mode()
    {
        var symbol = new Argument<string>("symbol");
        var mode = new Argument<string>("mode") { Description = "isolated or cross" };
        var command = new Command("mode", "set a symbol's margin mode (no open position on it)") { symbol, mode };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var marginMode = parse.GetValue(mode)!.ToLowerInvariant() switch
            {
                "isolated" => MarginMode.Isolated,
                "cross" => MarginMode.Cross,
                _ => MarginMode.Unspecified, // the gateway answers InvalidArgument with the field's rule
            };
            await new Accounts.AccountsClient(channel).SetMarginModeAsync(
                new SetMarginModeRequest { RequestId = Connection.RequestId(), Symbol = parse.GetValue(symbol), MarginMode = marginMode }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"[green]{parse.GetValue(symbol)}[/] is {parse.GetValue(mode)}");
        }, cancel));
        return command;
    }

    public static Command PositionMode()
    {
        var mode = new Argument<string>("mode") { Description = "one-way (one net position per symbol) or hedge (a long and a short leg per symbol)" };
        var command = new Command("position-mode", "set how the account holds positions, for every symbol (no open position at all)") { mode };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var positionMode = parse.GetValue(mode)!.ToLowerInvariant() switch
            {
                "one-way" => Api.V1.PositionMode.OneWay,
                "hedge" => Api.V1.PositionMode.Hedge,
                _ => Api.V1.PositionMode.Unspecified, // the gateway answers InvalidArgument with the field's rule
            };
            await new Accounts.AccountsClient(channel).SetPositionModeAsync(
                new SetPositionModeRequest { RequestId = Connection.RequestId(), PositionMode = positionMode }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"[green]position mode {Legs.Word(positionMode)}[/]");
        }, cancel));
        return command;
    }

    public static Command Leverage()
    {
        var symbol = new Argument<string>("symbol");
        var leverage = new Argument<int>("leverage");
        var command = new Command("leverage", "set a symbol's leverage; on an open isolated position lowering it moves margin from the wallet") { symbol, leverage };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Accounts.AccountsClient(channel).SetLeverageAsync(
                new SetLeverageRequest { RequestId = Connection.RequestId(), Symbol = parse.GetValue(symbol), Leverage = parse.GetValue(leverage) }, headers, cancellationToken: ct);
            Render.Reply("leverage set", reply, parse.GetValue(symbol)!, await Figures.Read(channel, headers, ct));
        }, cancel));
        return command;
    }

    public static Command RiskPolicy()
    {
        var max = new Argument<int>("max-leverage");
        var command = new Command("risk-policy", "your own leverage cap: lowered any time, raised only with no open position") { max };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Accounts.AccountsClient(channel).SetRiskPolicyAsync(
                new SetRiskPolicyRequest { RequestId = Connection.RequestId(), MaxLeverage = parse.GetValue(max) }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"[green]leverage capped at {parse.GetValue(max)}x[/]{(reply.Note.Length > 0 ? $"  (note: {reply.Note})" : "")}");
        }, cancel));
        return command;
    }

    public static Command Withdraw()
    {
        var amount = new Argument<string>("amount");
        var command = new Command("withdraw", "take money out of your wallet") { amount };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Accounts.AccountsClient(channel).WithdrawAsync(
                new WithdrawRequest { RequestId = Connection.RequestId(), Amount = parse.GetValue(amount) }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"[green]withdrawn[/]  wallet {reply.WalletBalance}");
        }, cancel));
        return command;
    }
}
