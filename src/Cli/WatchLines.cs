using MarginOrleans.Api.V1;

namespace MarginOrleans.Cli;

/// <summary>`margin watch`'s lines: one per mark and one per account event, the same live or redirected.</summary>
public static class WatchLines
{
    public static string Mark(MarkUpdate mark, Figures? figures) =>
        $"{Clock(mark.MarkTime)} {mark.Symbol} mark {figures?.Price(mark.Symbol, mark.MarkPrice) ?? mark.MarkPrice}";

    public static string Event(AccountEvent e, Figures figures) => e.Entry is { } row
        ? $"#{e.Sequence} {Clock(row.Time)} {row.Kind} {row.Symbol} qty {row.Quantity} at {figures.Price(row.Symbol, row.Price)}  realized {Figures.Money(row.RealizedPnl)}  fee {Figures.Money(row.Fee)}  wallet {Figures.Money(row.WalletBalance)}"
        : $"MARGIN CALL {(e.MarginCall.Symbol.Length > 0 ? e.MarginCall.Symbol : "cross account")}: ratio {e.MarginCall.Ratio}";

    /// <summary>The time of day of an ISO 8601 time (the date is today's while watching).</summary>
    public static string Clock(string time) => time.Length >= 19 ? time[11..19] : time;
}
