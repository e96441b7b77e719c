using MarginOrleans.Markets;
using MarginOrleans.Orders;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>
/// Conditional orders (docs/orders.md): the account holds them, the market's trigger index watches
/// their conditions, and a firing order becomes an <see cref="OpenPosition"/> under an engine
/// request id named after the order — so it fills once, however often its wake-up arrives.
/// </summary>
public sealed partial class AccountGrain
{
    private PublishedConditionals? conditionals;

    /// <summary>The order firing now: the close its own fill makes must not cancel it as an order of a closed leg.</summary>
    private long firing;

    private PublishedConditionals Conditionals => conditionals ??= new PublishedConditionals(GrainFactory, Id);

    public Task<CommandResult> PlaceOrder(string requestId, ConditionalOrder order) =>
        RunWithMarket(requestId, order.Symbol, _ => Rejected.Ok, async market =>
        {
            var check = OrderChecks.FirstFailure(Fits(order.Leg), PositionModes.ReduceOnly(Account.PositionMode, order.ReduceOnly),
                OrderRules.Check(order, market.Spec, market.MarkPrice, time.GetUtcNow()));
            if (check.IsOk && order.OnlyReduces && !Reduces(order, await Held(order.Leg)))
            {
                check = new Rejected(Rejection.ReduceOnlyWouldIncrease,
                    $"the order only reduces, and the {order.Leg} position holds nothing a {(order.Side == PositionSide.Long ? "BUY" : "SELL")} reduces");
            }

            if (check.IsOk && Account.Orders.Count >= AccountState.OpenOrdersMax)
            {
                check = new Rejected(Rejection.OpenOrdersMax, $"the account holds {Account.Orders.Count} open orders, the most it may; cancel one first");
            }

            if (!check.IsOk)
            {
                return await Answer(requestId, Refused(check));
            }

            var placed = new PlacedOrder(++Account.OrderSequence, order, time.GetUtcNow(), requestId);
            Account.Orders[placed.OrderId] = placed;
            OrderRow(JournalKind.OrderPlaced, placed, requestId);
            return await Answer(requestId, Accepted() with { OrderId = placed.OrderId });
        });

    public Task<CommandResult> AmendOrder(string requestId, long orderId, OrderAmendment amendment) =>
        RunOnOrder(requestId, orderId, (placed, market) =>
        {
            var amended = OrderRules.Amended(placed.Order, amendment);
            if (OrderRules.Check(amended, market.Spec, market.MarkPrice, time.GetUtcNow()) is { IsOk: false } bad)
            {
                return Refused(bad);
            }

            Account.Orders[orderId] = placed with { Order = amended };
            OrderRow(JournalKind.OrderAmended, Account.Orders[orderId], requestId);
            return Accepted() with { OrderId = orderId };
        });

    public Task<CommandResult> CancelOrder(string requestId, long orderId) =>
        RunOnOrder(requestId, orderId, (placed, _) =>
        {
            EndOrder(placed, JournalKind.OrderCancelled, requestId, "cancelled by the trader");
            return Accepted() with { OrderId = orderId };
        });

    public Task<IReadOnlyList<PlacedOrder>> ListOrders() => Task.FromResult<IReadOnlyList<PlacedOrder>>(WaitingOrders());

    /// <summary>The orders not yet past their good-till time, oldest first.</summary>
    private List<PlacedOrder> WaitingOrders()
    {
        var now = time.GetUtcNow();
        return [.. Account.Orders.Values.Where(o => !Expired(o, now)).OrderBy(o => o.OrderId)];
    }

    public async Task OnOrderTrigger(string symbol, long orderId)
    {
        if (!Account.Orders.TryGetValue(orderId, out var placed) || placed.Order.Symbol != symbol)
        {
            await Conditionals.RemoveStale(symbol, orderId, s => Market(s).GetSnapshot());
            return;
        }

        if (await Market(symbol).GetSnapshot() is not { HasMark: true } market)
        {
            return;
        }

        if (Expired(placed, time.GetUtcNow()))
        {
            await Commit(); // the commit ends it as expired
        }
        else if (Account.Results.ContainsKey(FiredRequestId(orderId)) || placed.Order.Type == OrderType.TrailingStopMarket
            || OrderRules.Crossed(placed.Order, market.MarkPrice))
        {
            await Fire(placed);
        }
        else
        {
            // The mark is back: answer the wake-up by registering the order again.
            await Conditionals.Publish(Account.Orders, force: true, s => Market(s).GetSnapshot());
        }
    }

    /// <summary>
    /// Sends the order's market order, once: a wake-up after a crash finds its answer under the
    /// order's request id. A refusal that clears by itself (liquidations being worked off) leaves
    /// the order waiting to be woken again; any other ends it, with the reason in the journal.
    /// </summary>
    private async Task Fire(PlacedOrder placed)
    {
        var order = placed.Order;
        var requestId = FiredRequestId(placed.OrderId);
        var quantity = order.ClosePosition ? (await Held(order.Leg))?.Quantity ?? 0m : order.Quantity;
        firing = placed.OrderId;
        CommandResult result;
        try
        {
            result = Account.Results.TryGetValue(requestId, out var answered) ? answered
                : quantity > 0m ? await OpenPosition(requestId, order.ToOpen(quantity))
                : Refused(new Rejected(Rejection.NoOpenPosition, $"the {order.Leg} position it closes is closed"));
        }
        finally
        {
            firing = 0;
        }

        if (!result.Result.KeepsRequestId() || !Account.Orders.ContainsKey(placed.OrderId))
        {
            return;
        }

        if (result.Result.IsOk)
        {
            Account.Orders.Remove(placed.OrderId);
            Rows.Add(JournalKind.OrderTriggered, order.Symbol, quantity, result.FillPrice, 0m, 0m, 0m, requestId,
                legSide: order.LegSide, orderId: placed.OrderId);
        }
        else
        {
            EndOrder(placed, JournalKind.OrderCancelled, requestId, $"fired, but its market order was refused: {result.Result.Reason}: {result.Result.Detail}");
        }

        await Commit();
    }

    /// <summary>
    /// Orders whose market order already has its answer end as it says: a crash came between the
    /// fill (or its refusal) and the order's own end, so no wake-up is needed to finish them.
    /// </summary>
    private async Task EndAnsweredOrders()
    {
        foreach (var placed in Account.Orders.Values.Where(o => Account.Results.ContainsKey(FiredRequestId(o.OrderId))).OrderBy(o => o.OrderId).ToList())
        {
            await Fire(placed);
        }
    }

    /// <summary>The request id an order's firing runs under: reserved (the gateway refuses ids with this prefix).</summary>
    private static string FiredRequestId(long orderId) => $"{EngineRequestIds.Prefix}order:{orderId}";

    private Task<CommandResult> RunOnOrder(string requestId, long orderId, Func<PlacedOrder, MarketSnapshot, CommandResult> change) =>
        Run(requestId, async () =>
        {
            if (!Account.Orders.TryGetValue(orderId, out var placed) || Expired(placed, time.GetUtcNow()))
            {
                return Refused(new Rejected(Rejection.OrderUnknown, $"no open order {orderId}: never placed, or already fired, cancelled or expired"));
            }

            return await Market(placed.Order.Symbol).GetSnapshot() is { HasMark: true } market
                ? change(placed, market)
                : Refused(NoMark(placed.Order.Symbol));
        });

    /// <summary>
    /// Ends the orders that can no longer act, with a row each: those past their good-till time, and
    /// those that only reduce a leg that closed (<paramref name="closed"/>, and every cross leg no
    /// longer held). Called with every state write, so the row is written with it.
    /// </summary>
    private void EndStaleOrders(IEnumerable<LegKey>? closed = null)
    {
        var now = time.GetUtcNow();
        var gone = closed?.ToHashSet() ?? [];
        foreach (var placed in Account.Orders.Values.OrderBy(o => o.OrderId).ToList())
        {
            var order = placed.Order;
            var legGone = gone.Contains(order.Leg) || (Account.ModeOf(order.Symbol) == MarginMode.Cross && Account.CrossAt(order.Leg) is null);
            if (Expired(placed, now))
            {
                EndOrder(placed, JournalKind.OrderCancelled, "", $"expired at {order.GoodTill:O}");
            }
            else if (order.OnlyReduces && legGone && !IsFiring(placed.OrderId))
            {
                EndOrder(placed, JournalKind.OrderCancelled, "", $"the {order.Leg} position it reduces closed");
            }
        }
    }

    /// <summary>The order's own fill is what closed its leg: it ends as triggered, not cancelled (after a crash too, settled from the pending command).</summary>
    private bool IsFiring(long orderId) => orderId == firing || Account.Pending?.RequestId == FiredRequestId(orderId)
        || Account.Results.ContainsKey(FiredRequestId(orderId));

    private void EndOrder(PlacedOrder placed, JournalKind kind, string requestId, string note)
    {
        Account.Orders.Remove(placed.OrderId);
        OrderRow(kind, placed, requestId, note);
    }

    private void OrderRow(JournalKind kind, PlacedOrder placed, string requestId, string? note = null)
    {
        var order = placed.Order;
        Rows.Add(kind, order.Symbol, order.Quantity, order.TriggerPrice ?? order.ActivationPrice ?? 0m, 0m, 0m, 0m, requestId,
            legSide: order.LegSide, orderId: placed.OrderId, note: note);
    }

    private static bool Expired(PlacedOrder placed, DateTimeOffset now) => placed.Order.GoodTill is { } till && till <= now;

    /// <summary>Whether an order that only reduces finds something to reduce: a held leg on the other side.</summary>
    private static bool Reduces(ConditionalOrder order, (PositionSide Side, decimal Quantity)? held) =>
        held is { } h && h.Quantity > 0m && h.Side != order.Side;

    /// <summary>The leg's side and size now, cross or isolated; null when it holds nothing.</summary>
    private async Task<(PositionSide Side, decimal Quantity)?> Held(LegKey leg)
    {
        if (Account.CrossAt(leg) is { } cross)
        {
            return (cross.Side, cross.Quantity);
        }

        return Account.ModeOf(leg.Symbol) == MarginMode.Isolated && Account.IsolatedLegs.Contains(leg.ToString())
            && await GetIsolated(leg) is { Quantity: > 0m } view ? (view.Side, view.Quantity) : null;
    }
}
