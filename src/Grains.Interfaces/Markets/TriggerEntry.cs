namespace MarginOrleans.Markets;

/// <summary>
/// One entry of a market's trigger index: whose it is, which way and at what price it fires.
/// <see cref="Owner"/> is the text of a <see cref="TriggerKey"/>, what the index is keyed by.
/// </summary>
[GenerateSerializer, Immutable, Alias("TriggerEntry")]
public sealed record TriggerEntry(
    [property: Id(0)] string Owner,
    [property: Id(1)] TriggerDirection Direction,
    [property: Id(2)] decimal Price)
{
    public TriggerEntry(TriggerKey key, TriggerDirection direction, decimal price)
        : this(key.ToString(), direction, price)
    {
    }

    public TriggerKey Key => TriggerKey.Parse(Owner);
}
