using MarginOrleans.Markets;

namespace MarginOrleans.Accounts;

/// <summary>A cross position: no collateral of its own, the account's margin balance backs it.</summary>
[GenerateSerializer, Alias("CrossPosition")]
public sealed class CrossPosition
{
    [Id(0)] public PositionSide Side { get; set; }
    [Id(1)] public decimal Quantity { get; set; }
    [Id(2)] public decimal EntryPrice { get; set; }
    [Id(3)] public int Leverage { get; set; }

    /// <summary>Close-all orders on the mark (see <see cref="Positions.TakeProfitStopLoss"/>).</summary>
    [Id(4)] public decimal? TakeProfit { get; set; }
    [Id(5)] public decimal? StopLoss { get; set; }

    /// <summary>The market's funding at this position's last settlement; null before its first.</summary>
    [Id(6)] public FundingPoint? Funding { get; set; }

    /// <summary>What the leg paid in fees and received in funding since it opened (see <see cref="Positions.Leg"/>).</summary>
    [Id(7)] public decimal FeesSinceOpen { get; set; }
    [Id(8)] public decimal FundingSinceOpen { get; set; }

    /// <summary>The position as both books hold it (see <see cref="Positions.Leg"/>).</summary>
    public Positions.Leg Leg
    {
        get => new(Side, Quantity, EntryPrice, Leverage, TakeProfit, StopLoss, FeesSinceOpen, FundingSinceOpen);
        set => (Side, Quantity, EntryPrice, Leverage, TakeProfit, StopLoss, FeesSinceOpen, FundingSinceOpen) =
            (value.Side, value.Quantity, value.EntryPrice, value.Leverage, value.TakeProfit, value.StopLoss, value.FeesSinceOpen, value.FundingSinceOpen);
    }

    public CrossPosition Copy() => new()
    {
        Side = Side, Quantity = Quantity, EntryPrice = EntryPrice, Leverage = Leverage, TakeProfit = TakeProfit, StopLoss = StopLoss, Funding = Funding,
        FeesSinceOpen = FeesSinceOpen, FundingSinceOpen = FundingSinceOpen,
    };
}
