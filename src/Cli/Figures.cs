using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using MarginOrleans.Api.V1;

namespace MarginOrleans.Cli;

/// <summary>
/// One formatting rule per kind of figure, the same in every command: money 2 to 8 places
/// (trailing zeros trimmed past 2), and an entry price too (a weighted average, not on the tick),
/// prices to the market's tick (mark, fill, take-profit, stop-loss), a liquidation or bankruptcy price
/// rounded to the tick toward the mark (the side reached first, so the shown price is never late), a
/// break-even price to the tick on the side where closing there does not lose,
/// ratios as a percentage with 2 places. Quantities are shown as the API sends them (on the lot).
/// The API keeps every digit; `--csv` prints them.
/// </summary>
public sealed class Figures(IReadOnlyDictionary<string, decimal> ticks)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Every market's tick size, read once per command (tick sizes never change). Often read after
    /// the command ran: if it fails (rate-limited, the gateway gone), prices show as money rather
    /// than a filled order looking like an error.
    /// </summary>
    public static async Task<Figures> Read(GrpcChannel channel, Metadata headers, CancellationToken cancel)
    {
        try
        {
            return new((await new Markets.MarketsClient(channel).ListMarketsAsync(new ListMarketsRequest(), headers, cancellationToken: cancel)).Markets
                .ToDictionary(m => m.Symbol, m => Parse(m.TickSize) ?? 0m, StringComparer.OrdinalIgnoreCase));
        }
        catch (RpcException) when (!cancel.IsCancellationRequested)
        {
            return new(new Dictionary<string, decimal>());
        }
    }

    public static string Money(string value) => Parse(value) is { } d ? Math.Round(d, 8).ToString("0.00######", Invariant) : value;

    public static string Ratio(decimal ratio) => (ratio * 100m).ToString("0.00", Invariant) + "%";

    /// <summary>A price on the symbol's tick (nearest); empty: "--".</summary>
    public string Price(string symbol, string value) => OnTick(symbol, value, MidpointRounding.AwayFromZero);

    /// <summary>A liquidation or bankruptcy price, to the tick toward the mark: a long's up, a short's down; empty: "--".</summary>
    public string Trigger(string symbol, Side side, string value) =>
        OnTick(symbol, value, side == Side.Long ? MidpointRounding.ToPositiveInfinity : MidpointRounding.ToNegativeInfinity);

    /// <summary>
    /// A break-even price, to the tick on the side where closing there does not lose: a long's up, a
    /// short's down; empty: "--".
    /// </summary>
    public string BreakEven(string symbol, Side side, string value) =>
        OnTick(symbol, value, side == Side.Long ? MidpointRounding.ToPositiveInfinity : MidpointRounding.ToNegativeInfinity);

    private string OnTick(string symbol, string value, MidpointRounding rounding)
    {
        if (Parse(value) is not { } price)
        {
            return value is "" ? "--" : value;
        }

        if (!ticks.TryGetValue(symbol, out var tick) || tick <= 0m)
        {
            return Money(value);
        }

        var places = (tick / 1.000000000000000000000000000000000m).Scale; // the tick's own places, trailing zeros dropped
        return (Math.Round(price / tick, 0, rounding) * tick).ToString("F" + places, Invariant);
    }

    private static decimal? Parse(string value) =>
        decimal.TryParse(value, NumberStyles.Number, Invariant, out var d) ? d : null;
}
