namespace MarginOrleans.Orders;

/// <summary>What a conditional order waits for before it sends its market order.</summary>
[Alias("OrderType")]
public enum OrderType
{
    /// <summary>Fires when the mark reaches the trigger price moving against the order's side: a BUY at or above it, a SELL at or below it.</summary>
    StopMarket = 1,

    /// <summary>Fires when the mark reaches the trigger price moving with the order's side: a BUY at or below it, a SELL at or above it.</summary>
    TakeProfitMarket = 2,

    /// <summary>Follows the best mark since activation and fires when the mark moves back by the callback rate.</summary>
    TrailingStopMarket = 3,
}
