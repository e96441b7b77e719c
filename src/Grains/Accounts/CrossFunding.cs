using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Risk;

namespace MarginOrleans.Accounts;

/// <summary>
/// Funding of cross positions, settled lazily as isolated positions settle theirs: on the account's
/// next touch (a command, a band check, a funding time's wake-up) each position pays or receives what
/// the market's cumulative funding moved since it last settled, from and into the wallet against the house.
/// </summary>
public sealed class CrossFunding(AccountState account, IReadOnlyDictionary<string, MarketSnapshot> markets)
{
    /// <summary>Settles every cross position; returns each wallet move (negative: paid) for the journal.</summary>
    public List<(LegKey Leg, decimal Quantity, decimal Delta)> Settle()
    {
        var moves = new List<(LegKey, decimal, decimal)>();
        foreach (var (text, position) in account.CrossPositions)
        {
            var leg = LegKey.Parse(text);
            var (now, last) = (markets[leg.Symbol].Funding.Point, position.Funding ?? FundingPoint.Zero);
            if (now.Times <= last.Times)
            {
                continue; // nothing new, or an older snapshot: points never move back
            }

            var paid = FundingMath.Owed(position.Side.Sign(), position.Quantity, now.Cumulative, last.Cumulative);
            (account.WalletBalance, account.HouseLeg, position.Funding) = (account.WalletBalance - paid, account.HouseLeg + paid, now);
            position.Leg = position.Leg.Funded(paid);
            if (paid != 0m)
            {
                moves.Add((leg, position.Quantity, -paid));
            }
        }

        return moves;
    }
}
