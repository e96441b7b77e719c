using MarginOrleans.Orders;

namespace MarginOrleans.Tests.Simulation;

/// <summary>
/// The model's position modes and conditional orders, written from docs/orders.md: the check order
/// of a placement and an amendment, when each type fires, a trailing stop's best mark since
/// activation, and what a fired order does — the market order of its side, quantity and leg,
/// filled by <see cref="Open"/> like any other. An order that only reduces ends when its leg is
/// gone; one past its good-till time ends without firing.
/// </summary>
public sealed partial class Model
{
    /// <summary>A waiting order as placed (or amended); for a trailing stop, whether it follows yet and its best mark since (a SELL's peak, a BUY's trough).</summary>
    public sealed record Order(long Id, ConditionalOrder Spec, bool Active, decimal Best);

    public decimal Tick { get; init; } = 0.1m;

    /// <summary>The engine's clock, as the test has moved it.</summary>
    public DateTimeOffset Now { get; set; }

    /// <summary>One-way or hedge for the whole account: changes only with no position open and no order waiting.</summary>
    public static (Rejection, Trader) SetPositionMode(Trader t, bool hedge) =>
        t.Hedge == hedge ? (Rejection.None, t)
        : t.Positions.Count > 0 || t.Orders.Count > 0 ? (Rejection.PositionModeChangeWithOpenPosition, t)
        : (Rejection.None, t with { Hedge = hedge });

    /// <summary>The leg first, reduce-only second, the order's own rules, whether an order that only reduces finds a leg to reduce, and last the account's room for one more.</summary>
    public (Rejection, Trader) Place(Trader t, ConditionalOrder order)
    {
        var leg = new LegKey(order.Symbol, order.LegSide);
        var bad = LegProblem(t, leg) ?? (t.Hedge && order.ReduceOnly ? Rejection.ReduceOnlyNotApplicable : (Rejection?)null) ?? OrderProblem(order);
        if (bad is null && OnlyReduces(order) && !(t.At(leg) is { } held && held.Side != order.Side))
        {
            bad = Rejection.ReduceOnlyWouldIncrease;
        }

        bad ??= t.Orders.Count >= AccountState.OpenOrdersMax ? Rejection.OpenOrdersMax : null;

        if (bad is { } refused)
        {
            return (refused, t);
        }

        var id = t.OrderSequence + 1;
        return (Rejection.None, t with { OrderSequence = id, Orders = new Dictionary<long, Order>(t.Orders) { [id] = Fresh(id, order) } });
    }

    /// <summary>A null field keeps its value; the whole order is checked again. A trailing stop whose rate or activation changed starts again from the mark.</summary>
    public (Rejection, Trader) Amend(Trader t, long id, OrderAmendment change)
    {
        if (!t.Orders.TryGetValue(id, out var held))
        {
            return (Rejection.OrderUnknown, t);
        }

        var was = held.Spec;
        var amended = was with
        {
            TriggerPrice = change.TriggerPrice ?? was.TriggerPrice,
            Quantity = change.Quantity ?? was.Quantity,
            CallbackRate = change.CallbackRate ?? was.CallbackRate,
            ActivationPrice = change.ActivationPrice ?? was.ActivationPrice,
            GoodTill = change.GoodTill ?? was.GoodTill,
        };
        if (OrderProblem(amended) is { } bad)
        {
            return (bad, t);
        }

        var restarted = was.Type == OrderType.TrailingStopMarket && (amended.CallbackRate != was.CallbackRate || amended.ActivationPrice != was.ActivationPrice);
        return (Rejection.None, t with { Orders = new Dictionary<long, Order>(t.Orders) { [id] = restarted ? Fresh(id, amended) : held with { Spec = amended } } });
    }

    public static (Rejection, Trader) Cancel(Trader t, long id) => t.Orders.ContainsKey(id)
        ? (Rejection.None, t with { Orders = t.Orders.Where(o => o.Key != id).ToDictionary() })
        : (Rejection.OrderUnknown, t);

    /// <summary>A new mark on <paramref name="symbol"/> as the trailing book sees it: active stops' best marks follow it, waiting ones it reaches activate at it.</summary>
    public Trader Trail(Trader t, string symbol)
    {
        var mark = Marks[symbol];
        var orders = t.Orders.Values.Where(o => o.Spec.Symbol == symbol && o.Spec.Type == OrderType.TrailingStopMarket).ToList();
        if (orders.Count == 0)
        {
            return t;
        }

        var next = new Dictionary<long, Order>(t.Orders);
        foreach (var o in orders)
        {
            var sell = o.Spec.Side == PositionSide.Short;
            next[o.Id] = o.Active ? o with { Best = sell ? Math.Max(o.Best, mark) : Math.Min(o.Best, mark) }
                : Activates(o.Spec, mark) ? o with { Active = true, Best = mark }
                : o;
        }

        return t with { Orders = next };
    }

    /// <summary>The orders on <paramref name="symbol"/> whose condition the mark meets (after <see cref="Trail"/>), oldest first.</summary>
    public IReadOnlyList<long> Firing(Trader t, string symbol)
    {
        var mark = Marks[symbol];
        return [.. t.Orders.Values.Where(o => o.Spec.Symbol == symbol).Where(o => o.Spec.Type != OrderType.TrailingStopMarket ? Crossed(o.Spec, mark)
            : o.Active && (o.Spec.Side == PositionSide.Short ? mark <= o.Best * (1m - o.Spec.CallbackRate!.Value / 100m) : mark >= o.Best * (1m + o.Spec.CallbackRate!.Value / 100m)))
            .Select(o => o.Id).Order()];
    }

    /// <summary>Whether the marks alone would liquidate any of the account's positions.</summary>
    public bool Liquidates(Trader t) => Liquidations(t).Positions.Count != t.Positions.Count;

    /// <summary>The order fires: it leaves the book, and its market order fills like any other (close-position: the leg's size then; nothing held: NoOpenPosition).</summary>
    public (Rejection, Trader) Fire(Trader t, long id)
    {
        var spec = t.Orders[id].Spec;
        var leg = new LegKey(spec.Symbol, spec.LegSide);
        t = t with { Orders = t.Orders.Where(o => o.Key != id).ToDictionary() };
        var quantity = spec.ClosePosition ? t.At(leg)?.Quantity ?? 0m : spec.Quantity;
        return quantity == 0m ? (Rejection.NoOpenPosition, t)
            : Open(t, leg, spec.Side, quantity, spec.Leverage, spec.ReduceOnly || (spec.ClosePosition && leg.Side == LegSide.Both));
    }

    /// <summary>Orders past their good-till time, and those that only reduce a leg that is gone, end.</summary>
    private Trader WithoutStaleOrders(Trader t) => t with
    {
        Orders = t.Orders.Where(o => !(o.Value.Spec.GoodTill <= Now) && !(OnlyReduces(o.Value.Spec) && t.At(new LegKey(o.Value.Spec.Symbol, o.Value.Spec.LegSide)) is null)).ToDictionary(),
    };

    private Order Fresh(long id, ConditionalOrder order) =>
        new(id, order, order.Type == OrderType.TrailingStopMarket && order.ActivationPrice is null, Marks[order.Symbol]);

    /// <summary>Fields, quantity, prices on the tick, leverage, callback rate, good-till, then the mark: the order's own rules.</summary>
    private Rejection? OrderProblem(ConditionalOrder o)
    {
        var trailing = o.Type == OrderType.TrailingStopMarket;
        var fields = (o.ClosePosition && o.Quantity != 0m) || (trailing && (o.TriggerPrice is not null || o.CallbackRate is null))
            || (!trailing && (o.TriggerPrice is null || o.CallbackRate is not null || o.ActivationPrice is not null))
            || (o.ClosePosition && o.LegSide != LegSide.Both && o.Side == Holds(o.LegSide));
        var mark = Marks[o.Symbol];
        return fields ? Rejection.OrderFieldsInvalid
            : (o.ClosePosition ? null : QuantityProblem(o.Quantity))
            ?? (OffTick(o.TriggerPrice) || OffTick(o.ActivationPrice) ? Rejection.PriceNotMultipleOfTick : (Rejection?)null)
            ?? (o.Leverage is < 1 || o.Leverage > leverageMax ? Rejection.LeverageOutOfRange : (Rejection?)null)
            ?? (o.CallbackRate is { } rate && (rate < 0.1m || rate > 10m || rate % 0.1m != 0m) ? Rejection.CallbackRateOutOfRange : (Rejection?)null)
            ?? (o.GoodTill <= Now ? Rejection.GoodTillPassed : (Rejection?)null)
            ?? (Crossed(o, mark) ? Rejection.TriggerWouldFireNow : (Rejection?)null)
            ?? (o.ActivationPrice is not null && Activates(o, mark) ? Rejection.ActivationPriceReached : null);
    }

    private bool OffTick(decimal? price) => price is { } p && (p <= 0m || p % Tick != 0m);

    /// <summary>A stop fires against its side (a BUY at or above), a take-profit with it (a BUY at or below); never true of a trailing stop.</summary>
    private static bool Crossed(ConditionalOrder o, decimal mark) =>
        o.TriggerPrice is { } price && ((o.Type == OrderType.TakeProfitMarket) == (o.Side == PositionSide.Long) ? mark <= price : mark >= price);

    /// <summary>A SELL trailing stop (protecting a long) starts to follow at or above its activation price, a BUY at or below.</summary>
    private static bool Activates(ConditionalOrder o, decimal mark) =>
        o.ActivationPrice is not { } activation || (o.Side == PositionSide.Short ? mark >= activation : mark <= activation);

    private static bool OnlyReduces(ConditionalOrder o) =>
        o.ClosePosition || o.ReduceOnly || (o.LegSide != LegSide.Both && o.Side != Holds(o.LegSide));
}
