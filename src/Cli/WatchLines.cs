using MarginOrleans.Api.V1;

namespace MarginOrleans.Cli;

/// <summary>`margin watch`'s lines: one per mark and one per account event, the same live or redirected.</summary>
public static class WatchLines
{
    public static string Mark(MarkUpdate mark, Figures? figures) =>
        $"{Clock(mark.MarkTime)} {mark.Symbol} mark {figures?.Price(mark.Symbol, mark.MarkPrice) ?? mark.MarkPrice}";

    public static string Event(AccountEvent accountEvent, Figures figures) => accountEvent.Entry is { } row
        ? $"#{accountEvent.Sequence} {Clock(row.Time)} {row.Kind} {Legs.Name(row.Symbol, row.PositionSide)} qty {row.Quantity} at {figures.Price(row.Symbol, row.Price)}  realized {Figures.Money(row.RealizedPnl)}  fee {Figures.Money(row.Fee)}  wallet {Figures.Money(row.WalletBalance)}"
        : $"MARGIN CALL {(accountEvent.MarginCall.Symbol.Length > 0 ? accountEvent.MarginCall.Symbol : "cross account")}: ratio {accountEvent.MarginCall.Ratio}";

    /// <summary>The time of day of an ISO 8601 time (the date is today's while watching).</summary>
    public static string Clock(string time) => time.Length >= 19 ? time[11..19] : time;
}
