using MarginOrleans.Risk;

namespace MarginOrleans.Markets;

/// <summary>
/// Read-only questions about a trigger index's liquidation entries, answered from the slot table
/// (no grain called): where they fire, summed by price bucket, and which a hypothetical mark would
/// fire. Only entries with a standing count — a position or a cross band, not an outbox wake-up.
/// Each is priced where it fires now, funding shift applied, as a tick compares it.
/// </summary>
internal sealed class LiquidationScan(TriggerSlots slots, TriggerPrices prices, Func<int, decimal, bool> crosses)
{
    private readonly StandingColumns standings = slots.Standings;

    public List<HeatCell> Heat(decimal lowest, decimal bucketSize, int buckets)
    {
        var cells = new Dictionary<(int, PositionSide), (decimal Notional, int Count)>();
        foreach (var (slot, lane) in Liquidations())
        {
            var price = prices.FiresAt(lane, slots.Price(slot));
            var bucket = Math.Floor((price - lowest) / bucketSize);
            if (bucket >= 0 && bucket < buckets)
            {
                var cell = ((int)bucket, lane.Side());
                var (notional, count) = cells.GetValueOrDefault(cell);
                cells[cell] = (notional + standings.Quantity(slot) * standings.EntryPrice(slot), count + 1);
            }
        }

        return [.. cells.Select(c => new HeatCell(c.Key.Item1, c.Key.Item2, c.Value.Notional, c.Value.Count))];
    }

    /// <summary>
    /// The entries <paramref name="mark"/> crosses. What each liquidation leaves the fund is the
    /// equity at the mark, s × Q × (P − bankruptcy), rounded down as a liquidation rounds the
    /// trader's PnL (margin + ⌊uPnL⌋ = ⌊s × Q × (P − B)⌋ for a margin of whole units).
    /// </summary>
    public List<StressedEntry> Stress(decimal mark)
    {
        var fired = new List<StressedEntry>();
        foreach (var (slot, lane) in Liquidations())
        {
            if (crosses(slot, mark))
            {
                var side = lane.Side();
                var (quantity, bankruptcy) = (standings.Quantity(slot), standings.BankruptcyPrice(slot));
                fired.Add(new StressedEntry(slots.Owner(slot)!, side, quantity, standings.EntryPrice(slot), prices.FiresAt(lane, slots.Price(slot)),
                    bankruptcy, Money.Receive(side.Sign() * quantity * (mark - bankruptcy))));
            }
        }

        return fired;
    }

    private IEnumerable<(int Slot, TriggerLane Lane)> Liquidations()
    {
        for (var slot = 1; slot < slots.Used; slot++)
        {
            if (slots.Owner(slot) is not null && slots.Lane(slot).IsLiquidation() && standings.Has(slot))
            {
                yield return (slot, slots.Lane(slot));
            }
        }
    }
}
