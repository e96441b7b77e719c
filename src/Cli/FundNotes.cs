using System.Globalization;
using MarginOrleans.Api.V1;

namespace MarginOrleans.Cli;

/// <summary>
/// What `margin admin fund` says under the table when a fund owes: the figure alone ("owed 650")
/// reads like a bug after a walkthrough's liquidation, so it says where the debt came from, how it
/// is collected and what the operator can do about it.
/// </summary>
public static class FundNotes
{
    public static IReadOnlyList<string> Lines(InsuranceFund fund)
    {
        if (!decimal.TryParse(fund.Owed, NumberStyles.Number, CultureInfo.InvariantCulture, out var owed) || owed <= 0m)
        {
            return [];
        }

        var (market, symbol) = fund.Symbol.Length > 0 ? ($"{fund.Symbol}'s", fund.Symbol) : ("its market's", "<symbol>");
        return
        [
            $"owes {Figures.Money(fund.Owed)}: a fund never goes below zero. A bankrupt position lost more than the fund held; the fund paid what it had and owes the rest.",
            $"It is collected by auto-deleveraging the best-ranked opposite positions of {market} market (closed at the bankrupt position's bankruptcy price, each giving up at most its profit) and by any money coming in (liquidations, top-ups), which pays the debt first.",
            $"With no opposite position to deleverage it stays owed: top the fund up with `margin admin fund-topup {symbol} {Figures.Money(fund.Owed)}`, or move money from another fund with `margin admin fund-move <from> {symbol} <amount>`.",
        ];
    }
}
