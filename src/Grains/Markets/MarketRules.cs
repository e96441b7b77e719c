using System.Runtime.CompilerServices;
using MarginOrleans.Risk;

namespace MarginOrleans.Markets;

/// <summary>Turns a wire <see cref="MarketSpec"/> into validated risk brackets and checks its sizes.</summary>
public static class MarketRules
{
    private static readonly ConditionalWeakTable<MarketSpec, RiskBrackets> Built = new();

    /// <summary>The spec's validated table, built once per spec instance (a snapshot is immutable).</summary>
    public static RiskBrackets Brackets(this MarketSpec spec) => Built.GetValue(spec, s =>
        RiskBrackets.Create(s.Brackets.Select(b => (b.NotionalCap, b.MaintenanceMarginRate, b.LeverageMax)), out var error)
        ?? throw new InvalidOperationException($"market {s.Symbol} holds invalid brackets: {error}"));

    public static Rejected Validate(MarketSpec spec)
    {
        if (!IsSymbol(spec.Symbol))
        {
            return Invalid($"symbol '{spec.Symbol}' must be 3 to 20 capital letters, digits or '-'");
        }

        if (spec.TickSize <= 0 || spec.LotSize <= 0 || spec.TickSize > Money.Max || spec.LotSize > Money.Max)
        {
            return Invalid($"tick size {spec.TickSize} and lot size {spec.LotSize} must be positive");
        }

        if (spec.TakerFeeRate < 0 || spec.TakerFeeRate >= 0.1m)
        {
            return Invalid($"taker fee rate {spec.TakerFeeRate} must be in [0, 0.1)");
        }

        if (spec.TriggerShards is < 1 or > TriggerShards.Max)
        {
            return Invalid($"trigger shards {spec.TriggerShards} must be in [1, {TriggerShards.Max}]");
        }

        if (spec.Funding is { } f && (f.IntervalSeconds is < 1 or > 86_400 || Math.Abs(f.InterestRate) > 0.01m || f.Clamp is < 0 or > 0.01m || f.CapFactor is <= 0 or > 10m))
        {
            return Invalid($"funding interval {f.IntervalSeconds} s must be 1 s to 24 h; interest within ±1%, clamp 0–1%, cap factor in (0, 10]");
        }

        if (spec.CircuitBreaker is < 0m or >= 1m)
        {
            return Invalid($"circuit breaker {spec.CircuitBreaker} must be a fraction in [0, 1): 0.1 holds a mark more than 10% from the last");
        }

        if (spec.StaleAfterSeconds is < 0 or > 86_400)
        {
            return Invalid($"staleness window {spec.StaleAfterSeconds} s must be 0 (never stale) to 24 h");
        }

        var brackets = RiskBrackets.Create(spec.Brackets.Select(b => (b.NotionalCap, b.MaintenanceMarginRate, b.LeverageMax)), out var error);
        return brackets is null ? Invalid(error) : Rejected.Ok;
    }

    /// <summary>A position reaching <paramref name="notional"/> at <paramref name="leverage"/>: within the table and its bracket's cap.</summary>
    public static Rejected CheckOpen(this RiskBrackets brackets, decimal notional, int leverage) => brackets.For(notional) is null
        ? new Rejected(Rejection.NotionalExceedsLastBracket, $"notional {notional} reaches the last bracket's cap {brackets.NotionalCap}")
        : brackets.CheckLeverage(notional, leverage);

    /// <summary>Leverage is always capped by the bracket holding the notional (the last one beyond the table).</summary>
    public static Rejected CheckLeverage(this RiskBrackets brackets, decimal notional, int leverage)
    {
        var bracket = brackets.For(notional) ?? brackets.Tiers[^1];
        return leverage > bracket.LeverageMax
            ? new Rejected(Rejection.LeverageExceedsBracketMax, $"leverage {leverage}x exceeds {bracket.LeverageMax}x, the max for notional {notional}")
            : Rejected.Ok;
    }

    public static bool IsSymbol(string symbol) =>
        symbol.Length is >= 3 and <= 20 && symbol.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-');

    private static Rejected Invalid(string detail) => new(Rejection.MarketSpecInvalid, detail);
}
