using System.CommandLine;
using MarginOrleans.Api.V1;
using Spectre.Console;

namespace MarginOrleans.Cli.Commands;

/// <summary>Operator tasks; they need the operator's API key.</summary>
public static class AdminCommands
{
    public static Command Admin()
    {
        var admin = new Command("admin", "operator tasks (operator API key)");
        admin.Subcommands.Add(CreateAccount());
        admin.Subcommands.Add(RotateKey());
        admin.Subcommands.Add(ShowAccount());
        admin.Subcommands.Add(Deposit());
        admin.Subcommands.Add(Price());
        admin.Subcommands.Add(Audit());
        admin.Subcommands.Add(Fund());
        admin.Subcommands.Add(FundTopUp());
        admin.Subcommands.Add(FundMove());
        admin.Subcommands.Add(MarketFromFile("create-market", "create a market from a JSON or YAML file of its spec (the API's MarketSpec fields)", create: true));
        admin.Subcommands.Add(MarketFromFile("update-market", "replace a market's spec from a JSON or YAML file (the whole spec: fee, brackets, staleness, funding interval, circuit breaker; tick, lot, shards and shared_insurance_fund cannot change)", create: false));
        return admin;
    }

    private static Command MarketFromFile(string name, string description, bool create)
    {
        var file = new Argument<FileInfo>("file") { Description = "e.g. btc.json or btc.yaml: symbol, tick_size, lot_size, taker_fee_rate, brackets, ..." };
        file.AcceptExistingOnly();
        var command = new Command(name, description) { file };
        command.SetAction(async (parse, cancel) =>
        {
            MarketSpec spec;
            try
            {
                spec = MarketSpecFile.Read(parse.GetValue(file)!.FullName);
            }
            catch (FormatException e)
            {
                Connection.Errors.MarkupLineInterpolated($"[red]InvalidArgument[/]: {e.Message}");
                return 2;
            }

            return await Connection.Run(parse, async (channel, headers, ct) =>
            {
                var client = new Operations.OperationsClient(channel);
                var m = create ? await client.CreateMarketAsync(spec, headers, cancellationToken: ct) : await client.UpdateMarketAsync(spec, headers, cancellationToken: ct);
                var table = Render.Record($"market {m.Symbol} {(create ? "created" : "updated")}", "tick", "lot", "taker fee", "max lev", "brackets", "mark", "next funding");
                table.AddRow(m.TickSize, m.LotSize, m.TakerFeeRate, m.LeverageMax + "x", m.Brackets.Count.ToString(), m.MarkPrice is "" or "0" ? "none yet" : m.MarkPrice, m.NextFundingTime);
                AnsiConsole.Write(table);
            }, cancel);
        });
        return command;
    }

    private static Command FundTopUp()
    {
        var (symbol, amount) = (new Argument<string>("symbol"), new Argument<string>("amount") { Description = "USDT from outside the system" });
        var command = new Command("fund-topup", "put money from outside into a market's insurance fund") { symbol, amount };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var f = await new Operations.OperationsClient(channel).TopUpInsuranceFundAsync(new TopUpInsuranceFundRequest
            {
                RequestId = Connection.RequestId(), Symbol = parse.GetValue(symbol), Amount = parse.GetValue(amount),
            }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"fund {f.Symbol}: balance {Figures.Money(f.Balance)}, owed {Figures.Money(f.Owed)}, topped up {Figures.Money(f.ToppedUp)} in all (a top-up pays what the fund owes first)");
        }, cancel));
        return command;
    }

    private static Command FundMove()
    {
        var (from, to, amount) = (new Argument<string>("from"), new Argument<string>("to"), new Argument<string>("amount"));
        var command = new Command("fund-move", "move money from one market's insurance fund to another's") { from, to, amount };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Operations.OperationsClient(channel).MoveInsuranceFundAsync(new MoveInsuranceFundRequest
            {
                RequestId = Connection.RequestId(), FromSymbol = parse.GetValue(from), ToSymbol = parse.GetValue(to), Amount = parse.GetValue(amount),
            }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"fund {reply.From.Symbol}: {reply.From.Balance}   fund {reply.To.Symbol}: {reply.To.Balance}");
        }, cancel));
        return command;
    }

    private static Command Fund()
    {
        var symbol = new Argument<string>("symbol") { Description = "a market's own fund; default every fund summed", DefaultValueFactory = _ => "" };
        var command = new Command("fund", "an insurance fund: balance, received from liquidations, paid for deficits, owed (what it could not pay: collected by auto-deleveraging and by money coming in, e.g. fund-topup)") { symbol };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var f = await new Operations.OperationsClient(channel).GetInsuranceFundAsync(new GetInsuranceFundRequest { Symbol = parse.GetValue(symbol) }, headers, cancellationToken: ct);
            var table = Render.Record(f.Symbol.Length > 0 ? $"insurance fund {f.Symbol}" : "insurance funds, summed", "balance", "received", "paid", "owed", "deleveraged");
            table.AddRow(Figures.Money(f.Balance), Figures.Money(f.Received), Figures.Money(f.Paid), Figures.Money(f.Owed), Figures.Money(f.Deleveraged));
            AnsiConsole.Write(table);
            foreach (var line in FundNotes.Lines(f))
            {
                AnsiConsole.WriteLine(line);
            }
        }, cancel));
        return command;
    }

    private static Command CreateAccount()
    {
        var id = new Option<string>("--id") { Description = "account id; default derived from the request", DefaultValueFactory = _ => "" };
        var command = new Command("create-account", "create a trader account; prints its API key once") { id };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Operations.OperationsClient(channel).CreateAccountAsync(
                new CreateAccountRequest { RequestId = Connection.RequestId(), AccountId = parse.GetValue(id) }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"account [green]{reply.AccountId}[/]\napi key [yellow]{reply.ApiKey}[/]  (shown once)");
        }, cancel));
        return command;
    }

    private static Command RotateKey()
    {
        var account = new Argument<string>("account");
        var command = new Command("rotate-key", "a new API key for an account whose key was lost; the old one stops working") { account };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Operations.OperationsClient(channel).RotateApiKeyAsync(
                new RotateApiKeyRequest { AccountId = parse.GetValue(account)! }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"account [green]{reply.AccountId}[/]\napi key [yellow]{reply.ApiKey}[/]  (shown once; the old key is revoked)");
        }, cancel));
        return command;
    }

    private static Command ShowAccount()
    {
        var account = new Argument<string>("account");
        var command = new Command("account", "any trader's account: wallet, equity and positions, as the trader sees them") { account };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var view = await new Operations.OperationsClient(channel).GetAccountAsync(
                new OperatorAccountRequest { AccountId = parse.GetValue(account)! }, headers, cancellationToken: ct);
            AnsiConsole.Write(Render.Account(view));
            AnsiConsole.Write(Render.Positions(view.Positions, await Figures.Read(channel, headers, ct)));
        }, cancel));
        return command;
    }

    private static Command Deposit()
    {
        var account = new Argument<string>("account");
        var amount = new Argument<string>("amount");
        var command = new Command("deposit", "credit USDT to an account") { account, amount };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Operations.OperationsClient(channel).DepositAsync(
                new DepositRequest { RequestId = Connection.RequestId(), AccountId = parse.GetValue(account), Amount = parse.GetValue(amount) }, headers, cancellationToken: ct);
            AnsiConsole.MarkupLineInterpolated($"[green]deposited[/]  wallet {reply.WalletBalance}");
        }, cancel));
        return command;
    }

    private static Command Price()
    {
        var symbol = new Argument<string>("symbol");
        var mark = new Argument<string>("mark");
        var command = new Command("price", "publish a mark price (as an external price feeder would)") { symbol, mark };
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var reply = await new Operations.OperationsClient(channel).PublishPriceAsync(
                new PublishPriceRequest { Symbol = parse.GetValue(symbol), MarkPrice = parse.GetValue(mark) }, headers, cancellationToken: ct);
            if (reply.Held)
            {
                AnsiConsole.MarkupLine("[yellow]held[/] by the market's circuit breaker: a second price near it confirms it");
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated($"published; [yellow]{reply.Fired}[/] trigger(s) fired");
            }
        }, cancel));
        return command;
    }

    private static Command Audit()
    {
        var command = new Command("audit", "the conservation totals: Σ wallets + Σ isolated margins + fund + house = deposits − withdrawals");
        command.SetAction((parse, cancel) => Connection.Run(parse, async (channel, headers, ct) =>
        {
            var r = await new Operations.OperationsClient(channel).AuditAsync(new AuditRequest(), headers, cancellationToken: ct);
            var table = Render.Record("audit", "deposits", "withdrawals", "wallets", "isolated", "fund", "fund owed", "house", "in flight", "discrepancy", "accounts");
            table.AddRow(r.Deposits, r.Withdrawals, r.Wallets, r.IsolatedMargins, r.InsuranceFund, r.FundsOwed, r.House, r.InFlight,
                r.Balanced ? "[green]0[/]" : $"[red]{r.Discrepancy}[/]", r.Accounts.ToString());
            AnsiConsole.Write(table);
        }, cancel));
        return command;
    }
}
