namespace MarginOrleans.Markets;

/// <summary>
/// The auto-deleveraging figures of a trigger index's slots, as scaled integers in one array
/// (quantity, entry, bankruptcy per slot): 24 bytes an entry, and no object per position.
/// A slot with quantity 0 has no standing (take-profit, stop-loss, an outbox entry).
/// </summary>
internal sealed class StandingColumns
{
    private const decimal Scale = 100_000_000m;
    private long[] figures = new long[16 * 3];

    public void Resize(int slots) => Array.Resize(ref figures, slots * 3);

    public void Set(int slot, PositionStanding? standing) =>
        (figures[slot * 3], figures[slot * 3 + 1], figures[slot * 3 + 2]) = Encode(standing);

    public bool Has(int slot) => figures[slot * 3] > 0;

    /// <summary>True when the slot holds exactly these figures, at the columns' precision.</summary>
    public bool Holds(int slot, PositionStanding? standing) =>
        (figures[slot * 3], figures[slot * 3 + 1], figures[slot * 3 + 2]) == Encode(standing);

    public decimal Quantity(int slot) => FromScaled(figures[slot * 3]);

    public decimal EntryPrice(int slot) => FromScaled(figures[slot * 3 + 1]);

    public decimal BankruptcyPrice(int slot) => FromScaled(figures[slot * 3 + 2]);

    /// <summary>The stored integer with 8 decimals: a constructor, not a division (the ranking reads every slot).</summary>
    private static decimal FromScaled(long value) => new((int)(value & 0xFFFF_FFFF), (int)(value >> 32), 0, false, 8);

    private static (long, long, long) Encode(PositionStanding? standing) => standing is { } s
        ? (ToLong(s.Quantity), ToLong(s.EntryPrice), ToLong(s.BankruptcyPrice))
        : (0, 0, 0);

    /// <summary>Ranking figures, not money: beyond 8 decimals they are truncated, beyond a long's range capped.</summary>
    private static long ToLong(decimal value)
    {
        var scaled = Math.Truncate(value * Scale);
        return scaled >= long.MaxValue ? long.MaxValue : scaled <= 0m ? 0 : (long)scaled;
    }
}
