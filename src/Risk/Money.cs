namespace MarginOrleans.Risk;

/// <summary>
/// Settlement rounding. What a trader pays is rounded up and what a trader receives is rounded
/// down, to <see cref="Decimals"/> places; the counterpart books the exact complement.
/// </summary>
public static class Money
{
    public const int Decimals = 8;
    private const decimal Scale = 100_000_000m;

    /// <summary>Largest amount, price or quantity accepted anywhere: keeps every product far from decimal overflow.</summary>
    public const decimal Max = 1_000_000_000_000m;

    /// <summary>The smallest amount: one unit of the last settlement place.</summary>
    public const decimal Unit = 1m / Scale;

    /// <summary>An amount the trader pays, rounded up.</summary>
    public static decimal Pay(decimal amount) => Math.Ceiling(amount * Scale) / Scale;

    /// <summary>A signed amount credited to the trader, rounded toward −∞ (a loss is a payment, rounded up).</summary>
    public static decimal Receive(decimal amount) => Math.Floor(amount * Scale) / Scale;

    /// <summary>A price as shown and stored (entry, liquidation, bankruptcy): to settlement precision, half to even.</summary>
    public static decimal Price(decimal price) => Math.Round(price, Decimals);

    public static decimal? Price(decimal? price) => price is { } p ? Price(p) : null;

    public static bool HasSettlementPrecision(decimal amount) => amount * Scale == Math.Truncate(amount * Scale);

    /// <summary>True when <paramref name="value"/> is a whole multiple of <paramref name="step"/>.</summary>
    public static bool IsMultipleOf(decimal value, decimal step) => step > 0 && value % step == 0;
}
