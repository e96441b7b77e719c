using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;
using MarginOrleans.Markets;
using MarginOrleans.Operations;

namespace MarginOrleans.Gateway.Services;

public sealed class OperationsService(IGrainFactory grains, Callers callers) : Api.V1.Operations.OperationsBase
{
    public override async Task<CreateAccountReply> CreateAccount(CreateAccountRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var requestId = Fields.RequestId(request.RequestId);

        // Without a chosen id the request id names the account, so a retried request finds the same one.
        var accountId = request.AccountId.Length > 0
            ? Fields.AccountId(request.AccountId)
            : "acc-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(requestId)))[..16].ToLowerInvariant();
        var created = await grains.GetGrain<IAccountGrain>(accountId).Create(requestId);
        return new CreateAccountReply { AccountId = created.AccountId, ApiKey = created.ApiKey }.OrThrow(created.Result);
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
        var market = grains.GetGrain<IMarketGrain>(Fields.Symbol(request.Symbol));
        var result = await market.Create(Spec(request));
        return result.IsOk ? ToApi.Market((await market.GetSnapshot())!) : throw result.ToException();
    }

    public override async Task<Market> UpdateMarket(Api.V1.MarketSpec request, ServerCallContext context)
    {
        await callers.Operator(context);
        var market = grains.GetGrain<IMarketGrain>(Fields.Symbol(request.Symbol));
        var result = await market.Update(Spec(request));
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

    public override async Task<Api.V1.InsuranceFund> GetInsuranceFund(GetInsuranceFundRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        if (request.Symbol.Length > 0)
        {
            var symbol = Fields.Symbol(request.Symbol);
            if (await grains.GetGrain<IMarketGrain>(symbol).GetSnapshot() is null && symbol != InsuranceFunds.Shared)
            {
                throw new Rejected(Rejection.SymbolUnknown, $"unknown symbol {symbol}").ToException();
            }

            var fund = await grains.GetGrain<IInsuranceFundGrain>(symbol).Get();
            return new Api.V1.InsuranceFund { Symbol = symbol, Balance = Text.Of(fund.Balance), Received = Text.Of(fund.Received), Paid = Text.Of(fund.Paid) };
        }

        var all = await InsuranceFunds.All(grains);
        return new Api.V1.InsuranceFund
        {
            Balance = Text.Of(all.Sum(f => f.View.Balance)), Received = Text.Of(all.Sum(f => f.View.Received)), Paid = Text.Of(all.Sum(f => f.View.Paid)),
        };
    }

    public override async Task<AuditReply> Audit(AuditRequest request, ServerCallContext context)
    {
        await callers.Operator(context);
        var r = await grains.GetGrain<IAuditGrain>("USDT").Run();
        return new AuditReply
        {
            Deposits = Text.Of(r.Deposits), Withdrawals = Text.Of(r.Withdrawals), Wallets = Text.Of(r.Wallets),
            IsolatedMargins = Text.Of(r.IsolatedMargins), InsuranceFund = Text.Of(r.InsuranceFund), House = Text.Of(r.House),
            InFlight = Text.Of(r.InFlight), Discrepancy = Text.Of(r.Discrepancy), Accounts = r.Accounts, Balanced = r.Discrepancy == 0m,
        };
    }

    private static Markets.MarketSpec Spec(Api.V1.MarketSpec s) => new(
        s.Symbol,
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
        Fields.OptionalDecimal(s.CircuitBreaker, "circuit_breaker"));
}
