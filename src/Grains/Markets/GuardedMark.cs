namespace MarginOrleans.Markets;

/// <summary>
/// Index and mark from several named price sources (Binance's mark-price rules, adapted: the engine has no
/// order book of its own). Index: the median of the fresh sources, after dropping any source more
/// than 5% from that median. Mark: the median of the index carried to the next funding time
/// (<c>index × (1 + F × time-to-funding / interval)</c>), the index plus the average basis of the
/// recent marks, and the last mark — so no single source, and no single input, moves it alone.
/// With one fresh source the mark is that source's price.
/// </summary>
public static class GuardedMark
{
    public const decimal MaxDeviation = 0.05m;

    /// <summary>A source silent for this many freshness windows is forgotten.</summary>
    public const int ForgottenAfterWindows = 10;

    /// <summary>
    /// The prices of the sources heard within <paramref name="freshFor"/>. Sources silent for
    /// <see cref="ForgottenAfterWindows"/> windows leave <paramref name="sources"/>: a feed that names
    /// itself anew on each restart must not grow the market's state row without end.
    /// </summary>
    public static List<decimal> Fresh(Dictionary<string, SourcePrice> sources, DateTimeOffset now, TimeSpan freshFor)
    {
        // A dictionary may lose entries while it is enumerated: no list built on every tick.
        foreach (var (name, heard) in sources)
        {
            if (now - heard.Time > freshFor * ForgottenAfterWindows)
            {
                sources.Remove(name);
            }
        }

        return [.. sources.Values.Where(s => now - s.Time <= freshFor).Select(s => s.Price)];
    }

    /// <summary>
    /// The median of the prices within <see cref="MaxDeviation"/> of the median of all — provided a
    /// strict majority of the sources is kept and agrees within that band; null without such a
    /// consensus (two sources 10% apart: which is right is unknown, so nothing moves).
    /// </summary>
    public static decimal? Index(IReadOnlyCollection<decimal> fresh)
    {
        if (fresh.Count == 0)
        {
            return null;
        }

        var median = Median(fresh);
        var kept = fresh.Where(p => Math.Abs(p - median) <= median * MaxDeviation).ToList();
        return kept.Count * 2 > fresh.Count && kept.Max() - kept.Min() <= median * MaxDeviation ? Median(kept) : null;
    }

    /// <summary>The mark for <paramref name="index"/>, on the tick (rounded toward the last mark: it moves no further than the inputs).</summary>
    public static decimal Mark(decimal index, int sources, decimal fundingRate, decimal fundingFraction, decimal averageBasis, decimal lastMark, decimal tickSize)
    {
        if (sources == 1 || lastMark <= 0m)
        {
            return OnTick(index, tickSize, lastMark);
        }

        var carried = index * (1m + fundingRate * fundingFraction);
        return OnTick(Median([carried, index + averageBasis, lastMark]), tickSize, lastMark);
    }

    /// <summary>A price on the tick: rounded to the side of <paramref name="toward"/>.</summary>
    public static decimal OnTick(decimal price, decimal tickSize, decimal toward)
    {
        var down = Math.Floor(price / tickSize) * tickSize;
        return down == price || toward <= down ? down : down + tickSize;
    }

    private static decimal Median(IReadOnlyCollection<decimal> prices)
    {
        var sorted = prices.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2m;
    }
}
