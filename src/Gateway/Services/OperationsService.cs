using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;
using MarginOrleans.Markets;
using MarginOrleans.Operations;

namespace MarginOrleans.Gateway.Services;

public sealed partial class OperationsService(IGrainFactory grains, Callers callers, KnownMarkets markets) : Api.V1.Operations.OperationsBase
{
    public override async Task<CreateAccountReply> CreateAccount(CreateAccountRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var requestId = Fields.RequestId(request.RequestId);

        // Without a chosen id the request id names the account, so a retried request finds the same one.
        var accountId = request.AccountId.Length > 0
            ? Fields.AccountId(request.AccountId)
            : "acc-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(requestId)))[..16].ToLowerInvariant();
        // Most creates are of a new account: it need not read its absent row (a retry or a taken id reads it after all).
        var account = grains.GetGrain<IAccountGrain>(accountId);
        var created = await AssumedNew.Call(account, () => account.Create(requestId));
        return new CreateAccountReply { AccountId = created.AccountId, ApiKey = created.ApiKey }.OrThrow(created.Result);
    }

    public override async Task<CreateAccountReply> RotateApiKey(RotateApiKeyRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var rotated = await grains.GetGrain<IAccountGrain>(Fields.AccountId(request.AccountId)).RotateApiKey();
        return new CreateAccountReply { AccountId = rotated.AccountId, ApiKey = rotated.ApiKey }.OrThrow(rotated.Result);
    }

    public override async Task<Account> GetAccount(OperatorAccountRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var id = Fields.AccountId(request.AccountId);
        var view = await grains.GetGrain<IAccountGrain>(id).GetAccount()
            ?? throw new Rejected(Rejection.AccountUnknown, $"unknown account {id}").ToException();
        return ToApi.Account(view);
    }

    public override async Task<CommandReply> Deposit(DepositRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var account = grains.GetGrain<IAccountGrain>(Fields.AccountId(request.AccountId));
        var result = await account.Deposit(Fields.RequestId(request.RequestId), Fields.Decimal(request.Amount, "amount"));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<Market> CreateMarket(Api.V1.MarketSpec request, ServerCallContext context)
    {
        await callers.Operator(context);
        var symbol = Fields.Symbol(request.Symbol);
        var market = grains.GetGrain<IMarketGrain>(symbol);
        var result = await market.Create(Spec(symbol, request));
        if (!result.IsOk)
        {
            throw result.ToException();
        }

        await markets.Created(symbol);
        return ToApi.Market((await market.GetSnapshot())!);
    }

    public override async Task<Market> UpdateMarket(Api.V1.MarketSpec request, ServerCallContext context)
    {
        await callers.Operator(context);
        var symbol = Fields.Symbol(request.Symbol);
        var market = grains.GetGrain<IMarketGrain>(symbol);
        var result = await market.Update(Spec(symbol, request));
        return result.IsOk ? ToApi.Market((await market.GetSnapshot())!) : throw result.ToException();
    }

    public override async Task<PublishPriceReply> PublishPrice(PublishPriceRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var mark = Fields.Decimal(request.MarkPrice, "mark_price");
        var index = Fields.OptionalDecimal(request.IndexPrice, "index_price") ?? mark;
        var update = await grains.GetGrain<IMarketGrain>(Fields.Symbol(request.Symbol)).PublishPrice(index, mark);
        return new PublishPriceReply { Fired = update.Fired, Held = update.Held }.OrThrow(update.Result);
    }

    public override async Task<PublishPriceReply> PublishSourcePrice(PublishSourcePriceRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var source = Fields.Name(request.Source, "source");
        var update = await grains.GetGrain<IMarketGrain>(Fields.Symbol(request.Symbol)).PublishSourcePrice(source, Fields.Decimal(request.Price, "price"));
        return new PublishPriceReply { Fired = update.Fired, Held = update.Held }.OrThrow(update.Result);
    }

    public override async Task<Api.V1.InsuranceFund> GetInsuranceFund(GetInsuranceFundRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        if (request.Symbol.Length > 0)
        {
            return Fund(await FundKey(request.Symbol), await grains.GetGrain<IInsuranceFundGrain>(await FundKey(request.Symbol)).Get());
        }

        var all = await InsuranceFunds.All(grains);
        return Fund("", new InsuranceFundView(all.Sum(f => f.View.Balance), all.Sum(f => f.View.Received), all.Sum(f => f.View.Paid), all.Sum(f => f.View.ToppedUp),
            all.Sum(f => f.View.Owed), all.Sum(f => f.View.Deleveraged)));
    }

    public override async Task<Api.V1.InsuranceFund> TopUpInsuranceFund(TopUpInsuranceFundRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var (requestId, symbol, amount) = (Fields.RequestId(request.RequestId), await FundKey(request.Symbol), Fields.PositiveDecimal(request.Amount, "amount"));
        var fund = grains.GetGrain<IInsuranceFundGrain>(symbol);
        if (await fund.TopUp(requestId, amount) is { IsOk: false } refused)
        {
            throw refused.ToException();
        }

        return Fund(symbol, await fund.Get());
    }

    public override async Task<MoveInsuranceFundReply> MoveInsuranceFund(MoveInsuranceFundRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var (requestId, from, to, amount) = (Fields.RequestId(request.RequestId), await FundKey(request.FromSymbol), await FundKey(request.ToSymbol), Fields.PositiveDecimal(request.Amount, "amount"));
        if (await grains.GetGrain<IInsuranceFundGrain>(from).Move(requestId, to, amount) is { IsOk: false } refused)
        {
            throw refused.ToException();
        }

        return new MoveInsuranceFundReply
        {
            From = Fund(from, await grains.GetGrain<IInsuranceFundGrain>(from).Get()),
            To = Fund(to, await grains.GetGrain<IInsuranceFundGrain>(to).Get()),
        };
    }

    /// <summary>A listed market's symbol, or the shared fund of before; NotFound for anything else.</summary>
    private async Task<string> FundKey(string text)
    {
        var symbol = Fields.Symbol(text);
        return symbol == InsuranceFunds.Shared || await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot() is not null
            ? symbol
            : throw new Rejected(Rejection.SymbolUnknown, $"unknown symbol {symbol}").ToException();
    }

    private static Api.V1.InsuranceFund Fund(string symbol, InsuranceFundView f) => new()
    {
        Symbol = symbol, Balance = Text.Of(f.Balance), Received = Text.Of(f.Received), Paid = Text.Of(f.Paid), ToppedUp = Text.Of(f.ToppedUp), Owed = Text.Of(f.Owed), Deleveraged = Text.Of(f.Deleveraged),
    };

    public override async Task<AuditReply> Audit(AuditRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var r = await grains.GetGrain<IAuditGrain>(Audits.Key).Run();
        return new AuditReply
        {
            Deposits = Text.Of(r.Deposits), Withdrawals = Text.Of(r.Withdrawals), Wallets = Text.Of(r.Wallets),
            IsolatedMargins = Text.Of(r.IsolatedMargins), InsuranceFund = Text.Of(r.InsuranceFund), House = Text.Of(r.House),
            InFlight = Text.Of(r.InFlight), Discrepancy = Text.Of(r.Discrepancy), Accounts = r.Accounts, Balanced = r.Discrepancy == 0m && r.Consistent,
            FundTopUps = Text.Of(r.FundTopUps), FundsOwed = Text.Of(r.FundsOwed), Consistent = r.Consistent, Passes = r.Passes,
        };
    }

    /// <summary>The grain's spec, under the symbol as every RPC takes it: validated and folded to upper case.</summary>
    private static Markets.MarketSpec Spec(string symbol, Api.V1.MarketSpec s) => new(
        symbol,
        Fields.Decimal(s.TickSize, "tick_size"),
        Fields.Decimal(s.LotSize, "lot_size"),
        Fields.Decimal(s.TakerFeeRate, "taker_fee_rate"),
        [.. s.Brackets.Select((b, i) => new Markets.BracketSpec(
            Fields.Decimal(b.NotionalCap, $"brackets[{i}].notional_cap"),
            Fields.Decimal(b.MaintenanceMarginRate, $"brackets[{i}].maintenance_margin_rate"),
            b.LeverageMax))],
        s.TriggerShards,
        s.FundingIntervalSeconds == 0 ? null : new Markets.FundingSpec(s.FundingIntervalSeconds),
        s.StaleAfterSeconds,
        Fields.OptionalDecimal(s.CircuitBreaker, "circuit_breaker"),
        s.SharedInsuranceFund);
}
