using static MarginOrleans.Tests.Accounts.CrossAccounts;

namespace MarginOrleans.Tests.Accounts;

/// <summary>The account's journal rows on their own: numbered, stamped, each showing the wallet its own move left.</summary>
public sealed class AccountJournalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private readonly AccountState account = new() { WalletBalance = 996.5m, JournalSequence = 7 };

    private AccountJournal Rows => new(account, new FixedClock(Now));

    [Fact]
    public void WalletMovesAlreadyBooked_AreJournaledOneByOne_FromTheWalletBeforeThem()
    {
        Rows.WalletMoves(JournalKind.Funding, [("X-USDT", 1m, -6m), ("Y-USDT", 2m, 2.5m)], MarketsOf(Market("X-USDT", 100m), Market("Y-USDT", 50m)));

        Assert.Equal(
            [(8L, "X-USDT", 100m, -6m, 994m), (9L, "Y-USDT", 50m, 2.5m, 996.5m)],
            account.UnwrittenJournal.Select(r => (r.Sequence, r.Symbol, r.Price, r.WalletDelta, r.WalletBalance)));
        Assert.All(account.UnwrittenJournal, r => Assert.Equal(Now, r.Time));
        Assert.Equal((996.5m, 996.5m), (account.WalletBalance, account.JournaledWallet));
    }

    [Fact]
    public void ACrossLiquidation_JournalsEachCloseThenEachFundsShare_EndingAtZero()
    {
        account.WalletBalance = 0m; // where the book left it
        var transfers = new[] { new FundTransfer("t/X-USDT", -50m, "fund-x", new Deficit(PositionSide.Long, 1m, 100m, "X-USDT")) };

        Rows.CrossLiquidation(100m, [("X-USDT", 1m, -150m)], transfers, MarketsOf(Market("X-USDT", 100m)));

        Assert.Equal(
            [(JournalKind.Liquidation, "X-USDT", -150m, -50m, (string?)null), (JournalKind.Liquidation, "", 50m, 0m, "fund-x")],
            account.UnwrittenJournal.Select(r => (r.Kind, r.Symbol, r.WalletDelta, r.WalletBalance, r.Fund)));
    }

    [Fact]
    public void MovesThatDoNotEndAtTheBookedWallet_AreRefused()
    {
        account.WalletBalance = 0m;
        var transfers = new[] { new FundTransfer("t/X-USDT", -40m, "fund-x") }; // 10 short of the margin balance left

        Assert.Throws<InvalidOperationException>(() => Rows.CrossLiquidation(100m, [("X-USDT", 1m, -150m)], transfers, MarketsOf(Market("X-USDT", 100m))));
    }
}
