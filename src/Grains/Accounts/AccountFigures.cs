using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Risk;

namespace MarginOrleans.Accounts;

/// <summary>
/// What a trader sees of the account: the cross pool's figures (margin balance, Σ MM, ratio, available,
/// max withdrawal) beside every position, isolated ones marked by their own grains, and the margin calls.
/// </summary>
public static class AccountFigures
{
    public static AccountView View(string accountId, AccountState account, CrossBook cross, IEnumerable<PositionView> isolated)
    {
        var legs = cross.Legs.Select(l => l.Leg).ToList();
        var positions = isolated.Concat(cross.Legs.Select(l => cross.View(l.Key)!)).OrderBy(p => p.Symbol, StringComparer.Ordinal).ThenBy(p => p.LegSide).ToList();
        var marginBalance = CrossMath.MarginBalance(account.WalletBalance, legs);
        var maintenance = Money.Pay(CrossMath.MaintenanceMargin(legs));
        var ratio = legs.Count == 0 ? 0m : MarginCall.Ratio(maintenance, marginBalance);
        return new AccountView(accountId, account.WalletBalance, Money.Receive(cross.Available), positions.Sum(p => p.IsolatedMargin), positions.Sum(p => p.UnrealizedPnl),
            Money.Receive(marginBalance) + positions.Where(p => p.Mode == MarginMode.Isolated).Sum(p => p.Equity),
            new Dictionary<string, int>(account.Leverage), positions, Money.Receive(marginBalance), maintenance, ratio,
            cross.MaxWithdrawal, account.LeverageCap, new Dictionary<string, MarginMode>(account.MarginModes), account.JournalSequence,
            MarginCalls(legs.Count == 0 ? null : ratio, positions), account.PositionMode);
    }

    /// <summary>The ratios at or above the margin call: the cross account's under "", each isolated position's under its symbol.</summary>
    public static Dictionary<string, decimal> MarginCalls(decimal? crossRatio, IEnumerable<PositionView> positions)
    {
        IEnumerable<(string Symbol, decimal Ratio)> ratios = positions.Where(p => p.Mode == MarginMode.Isolated)
            .Select(p => (p.Symbol, MarginCall.Ratio(p.MaintenanceMargin, p.Equity)));
        ratios = crossRatio is { } cross ? ratios.Prepend(("", cross)) : ratios;
        return ratios.Where(r => MarginCall.IsCalled(r.Ratio)).ToDictionary(r => r.Symbol, r => r.Ratio, StringComparer.Ordinal);
    }
}
