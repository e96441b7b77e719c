using MarginOrleans.Accounts;

namespace MarginOrleans.Positions;

public static class Flips
{
    /// <summary>One outcome for a flip: the close of the old side then the open of the remainder the other way.</summary>
    public static PositionOutcome After(this PositionOutcome opened, PositionOutcome closed) => opened with
    {
        WalletDelta = closed.WalletDelta + opened.WalletDelta,
        RealizedPnl = closed.RealizedPnl,
        Fee = closed.Fee + opened.Fee,
        Event = JournalKind.PositionFlipped,
    };
}
