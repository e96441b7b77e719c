using MarginOrleans.Markets;

namespace MarginOrleans.Gateway;

/// <summary>
/// The listed symbols, read from the market directory and kept for a second, so that a symbol
/// nobody listed is refused at the gateway — NotFound, naming the markets there are — without
/// activating a market grain for it. A miss reads the directory again, at most ten
/// times a second, so a market created a moment ago is found.
/// </summary>
public sealed class KnownMarkets(IGrainFactory grains, TimeProvider time)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MissRereadAfter = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim reading = new(1, 1);
    private (HashSet<string> Symbols, DateTimeOffset At) listed = ([], DateTimeOffset.MinValue);

    /// <summary>The symbol, validated and case-folded, if a market lists it; otherwise NotFound.</summary>
    public async Task<string> Require(string text)
    {
        var symbol = Fields.Symbol(text);
        var (symbols, at) = listed;
        if (!symbols.Contains(symbol) && time.GetUtcNow() - at > (symbols.Count == 0 ? TimeSpan.Zero : MissRereadAfter)
            || time.GetUtcNow() - at > Fresh)
        {
            symbols = await Read();
        }

        return symbols.Contains(symbol)
            ? symbol
            : throw new Rejected(Rejection.SymbolUnknown, $"unknown symbol {symbol}; markets: {string.Join(", ", symbols.Order(StringComparer.Ordinal))}").ToException();
    }

    /// <summary>
    /// A market this gateway just created is known at once: a listing read a moment before the
    /// creation would otherwise hide it until the next re-read (up to a tenth of a second).
    /// </summary>
    public async Task Created(string symbol)
    {
        await reading.WaitAsync();
        try
        {
            listed = ([.. listed.Symbols, symbol], listed.At);
        }
        finally
        {
            reading.Release();
        }
    }

    private async Task<HashSet<string>> Read()
    {
        await reading.WaitAsync();
        try
        {
            if (time.GetUtcNow() - listed.At > MissRereadAfter)
            {
                listed = ([.. await grains.GetGrain<IMarketDirectoryGrain>(MarketDirectory.Key).List()], time.GetUtcNow());
            }

            return listed.Symbols;
        }
        finally
        {
            reading.Release();
        }
    }
}
