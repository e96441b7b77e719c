namespace MarginOrleans.Markets;

/// <summary>
/// One entry of a market's trigger index: whose it is, which way and at what price it fires.
/// <see cref="Owner"/> is the text of a <see cref="TriggerKey"/>, what the index is keyed by.
/// A liquidation trigger's <see cref="Frame"/> is the market's funding shift for its side that the
/// owner's price was computed under (see <see cref="FundingView"/>); funding paid since moves it.
/// A liquidation trigger's <see cref="Standing"/> is what the auto-deleveraging ranking reads.
/// A trailing stop's entry has its <see cref="CallbackRate"/> (percent), fires <see cref="Direction"/>
/// (at or below for a SELL) and its <see cref="Price"/> is the activation price, 0 for none.
/// </summary>
[GenerateSerializer, Immutable, Alias("TriggerEntry")]
public sealed record TriggerEntry(
    [property: Id(0)] string Owner,
    [property: Id(1)] TriggerDirection Direction,
    [property: Id(2)] decimal Price,
    [property: Id(3)] decimal Frame = 0m,
    [property: Id(4)] PositionStanding? Standing = null,
    [property: Id(5)] decimal CallbackRate = 0m)
{
    public TriggerEntry(TriggerKey key, TriggerDirection direction, decimal price, decimal frame = 0m, PositionStanding? standing = null)
        : this(key.ToString(), direction, price, frame, standing)
    {
    }

    public TriggerKey Key => TriggerKey.Parse(Owner);
}
