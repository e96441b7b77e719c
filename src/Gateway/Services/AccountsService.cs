using System.Globalization;
using Grpc.Core;
using MarginOrleans.Accounts;
using MarginOrleans.Api.V1;
using MarginOrleans.Gateway.Wire;

namespace MarginOrleans.Gateway.Services;

public sealed class AccountsService(Callers callers, KnownMarkets markets, GatewayStopping stopping, JournalFeed feed) : Api.V1.Accounts.AccountsBase
{
    public override async Task<Account> GetAccount(GetAccountRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context, request.AccountId);
        var view = await account.GetAccount()
            ?? throw new Rejected(Rejection.AccountUnknown, $"unknown account {account.GetPrimaryKeyString()}").ToException();
        return ToApi.Account(view);
    }

    public override async Task<CommandReply> Withdraw(WithdrawRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.Withdraw(Fields.RequestId(request.RequestId), Fields.Decimal(request.Amount, "amount"));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> SetLeverage(SetLeverageRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.SetLeverage(Fields.RequestId(request.RequestId), await markets.Require(request.Symbol), request.Leverage);
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> SetMarginMode(SetMarginModeRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.SetMarginMode(Fields.RequestId(request.RequestId), await markets.Require(request.Symbol), Fields.Mode(request.MarginMode));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> SetPositionMode(SetPositionModeRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.SetPositionMode(Fields.RequestId(request.RequestId), Fields.PositionMode(request.PositionMode));
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task<CommandReply> SetRiskPolicy(SetRiskPolicyRequest request, ServerCallContext context)
    {
        var account = await callers.Account(context);
        var result = await account.SetRiskPolicy(Fields.RequestId(request.RequestId), request.MaxLeverage);
        return ToApi.Reply(result).OrThrow(result.Result);
    }

    public override async Task StreamAccountEvents(StreamAccountEventsRequest request, IServerStreamWriter<AccountEvent> responseStream, ServerCallContext context)
    {
        if (request.FromSequence < 0)
        {
            throw Fields.Invalid("from_sequence", "must not be negative");
        }

        var account = await callers.Account(context);
        using var watching = stopping.Link(context);
        try
        {
            await foreach (var e in AccountEvents.Watch(account, feed, request.FromSequence, () => callers.Recheck(context), watching.Token))
            {
                if (e is not null)
                {
                    await responseStream.WriteAsync(e); // never cancelled mid-write: gRPC resets a stream whose write is cancelled
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsStopping)
        {
            throw GatewayStopping.Ended();
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller went away.
        }
    }

    public override async Task<GetJournalReply> GetJournal(GetJournalRequest request, ServerCallContext context)
    {
        if (request.FromSequence < 0 || request.Limit is < 0 or > 500)
        {
            throw Fields.Invalid(request.FromSequence < 0 ? "from_sequence" : "limit", request.FromSequence < 0 ? "must not be negative" : "must be 0 to 500");
        }

        var account = await callers.Account(context);
        var limit = request.Limit == 0 ? 100 : request.Limit;
        var entries = await account.GetJournal(request.FromSequence, limit);
        var reply = new GetJournalReply { NextSequence = entries.Count == limit ? entries[^1].Sequence + 1 : 0 };
        reply.Entries.AddRange(entries.Select(ToApi.Journal));
        return reply;
    }

    /// <summary>The journal's funding rows from a time, one page at a time: the token is the sequence the next page reads from.</summary>
    public override async Task<ListFundingPaymentsReply> ListFundingPayments(ListFundingPaymentsRequest request, ServerCallContext context)
    {
        if (request.PageSize is < 0 or > 500)
        {
            throw Fields.Invalid("page_size", "must be 0 to 500");
        }

        var (since, from) = (Fields.Since(request.FromTime, "from_time"), Fields.PageToken(request.PageToken));
        var account = await callers.Account(context);
        var size = request.PageSize == 0 ? 100 : request.PageSize;
        var payments = await account.ListFundingPayments(since, from, size);
        var reply = new ListFundingPaymentsReply { NextPageToken = payments.Count == size ? (payments[^1].Sequence + 1).ToString(CultureInfo.InvariantCulture) : "" };
        reply.Payments.AddRange(payments.Select(ToApi.Journal));
        return reply;
    }
}
