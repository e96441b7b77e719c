using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>
/// The hedge rules' refusals each get a precise status and reason and change nothing: the hedge
/// trader (a LONG leg of 1 @ 20,000 at 10x on BTC-USDT) and a one-way trader with nothing open keep
/// their balances and journals, and the audit totals are the same after as before.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HedgeBadInputTests(GatewayFixture fixture) : IAsyncLifetime
{
    private readonly GatewayFixture gateway = fixture;
    private string hedged = "";
    private string flat = "";

    public static TheoryData<string> Cases => [.. BadInputs.Keys];

    private static readonly Dictionary<string, (StatusCode Code, string Message, Func<HedgeBadInputTests, Task> Call)> BadInputs = new()
    {
        ["reduce-only in hedge mode"] = (StatusCode.FailedPrecondition,
            "ReduceOnlyNotApplicable: reduce-only does not apply in hedge mode: the opposite side of a leg only reduces it",
            t => t.Open(t.hedged, Side.Short, PositionSide.Long, reduceOnly: true)),
        ["BOTH leg in hedge mode"] = (StatusCode.FailedPrecondition, "PositionSideMismatch: the account is in hedge mode: name the leg, position side LONG or SHORT",
            t => t.Open(t.hedged, Side.Long, PositionSide.Both)),
        ["unspecified leg in hedge mode, on a margin request"] = (StatusCode.FailedPrecondition, "PositionSideMismatch: the account is in hedge mode: name the leg",
            t => t.gateway.Positions.AddMarginAsync(new MarginRequest { RequestId = RequestId(), Symbol = Symbol, Amount = "10" }, Bearer(t.hedged)).ResponseAsync),
        ["position side out of range on a margin request"] = (StatusCode.InvalidArgument, "position_side: must be POSITION_SIDE_BOTH, POSITION_SIDE_LONG or POSITION_SIDE_SHORT",
            t => t.gateway.Positions.AddMarginAsync(new MarginRequest { RequestId = RequestId(), Symbol = Symbol, Amount = "10", PositionSide = (PositionSide)4 }, Bearer(t.hedged)).ResponseAsync),
        ["position side out of range on take-profit / stop-loss"] = (StatusCode.InvalidArgument, "position_side: must be POSITION_SIDE_BOTH",
            t => t.gateway.Positions.SetTakeProfitStopLossAsync(
                new SetTakeProfitStopLossRequest { RequestId = RequestId(), Symbol = Symbol, TakeProfitPrice = "21000", PositionSide = (PositionSide)100 }, Bearer(t.hedged)).ResponseAsync),
        ["the opposite side of a leg not open"] = (StatusCode.FailedPrecondition, "ReduceOnlyWouldIncrease: no open",
            t => t.Open(t.hedged, Side.Long, PositionSide.Short)),
        ["mode change to one-way with a leg open"] = (StatusCode.FailedPrecondition,
            "PositionModeChangeWithOpenPosition: the position mode can change to one-way only with no open position and no order waiting; open: BTC-USDT/LONG",
            t => t.gateway.Accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = RequestId(), PositionMode = PositionMode.OneWay }, Bearer(t.hedged)).ResponseAsync),
        ["reduce-only with no position"] = (StatusCode.FailedPrecondition, "ReduceOnlyWouldIncrease: no open",
            t => t.Open(t.flat, Side.Short, PositionSide.Both, reduceOnly: true)),
        ["LONG leg in one-way mode, on a preview"] = (StatusCode.FailedPrecondition, "PositionSideMismatch: the account is in one-way mode: position side LONG is for hedge mode; use BOTH",
            t => t.gateway.Positions.PreviewPositionAsync(
                new PreviewPositionRequest { Symbol = Symbol, Side = Side.Long, Quantity = "0.1", Leverage = 10, PositionSide = PositionSide.Long }, Bearer(t.flat)).ResponseAsync),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HedgeBadInput_GetsAPreciseStatus_AndChangesNothing(string name)
    {
        var (code, message, call) = BadInputs[name];
        var before = await State();
        var auditBefore = await gateway.AssertBalanced();

        var error = await Assert.ThrowsAsync<RpcException>(() => call(this));

        Assert.Equal(code, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
        Assert.Equal(before, await State());
        Assert.Equal(auditBefore, await gateway.AssertBalanced());
    }

    public async Task InitializeAsync()
    {
        await gateway.Price("20000");
        (hedged, _) = await gateway.Trader("10000");
        (flat, _) = await gateway.Trader("1000");
        await gateway.Accounts.SetPositionModeAsync(new SetPositionModeRequest { RequestId = RequestId(), PositionMode = PositionMode.Hedge }, Bearer(hedged));
        await Open(hedged, Side.Long, PositionSide.Long);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Both traders' accounts (balances, positions, journal sequence) and journals.</summary>
    private async Task<string> State() => string.Join("\n",
        await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), Bearer(hedged)),
        await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), Bearer(hedged)),
        await gateway.Accounts.GetAccountAsync(new GetAccountRequest(), Bearer(flat)),
        await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), Bearer(flat)));

    private Task Open(string key, Side side, PositionSide leg, bool reduceOnly = false) =>
        gateway.Positions.OpenPositionAsync(new OpenPositionRequest
        {
            RequestId = RequestId(), Symbol = Symbol, Side = side, PositionSide = leg, Quantity = "1", Leverage = 10, ReduceOnly = reduceOnly,
        }, Bearer(key)).ResponseAsync;
}
