using MarginOrleans.Risk;

namespace MarginOrleans.Markets;

/// <summary>
/// An entry every mark crosses (no price is above <see cref="Money.Max"/>): not a price its owner
/// watches but a durable wake-up while it delivers something — a flat position's liquidation report.
/// </summary>
public static class DurableWakeUp
{
    public static TriggerEntry For(TriggerKey key) => new(key, TriggerDirection.AtOrBelow, Money.Max);

    public static bool Is(TriggerEntry entry) => entry is { Direction: TriggerDirection.AtOrBelow, Price: Money.Max } && entry.Key.Kind == TriggerKind.Liquidation;
}
