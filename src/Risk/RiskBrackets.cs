namespace MarginOrleans.Risk;

/// <summary>A market's validated bracket table with the maintenance amounts derived (docs/margin-math.md).</summary>
public sealed class RiskBrackets
{
    private RiskBrackets(IReadOnlyList<Bracket> tiers) => Tiers = tiers;

    public IReadOnlyList<Bracket> Tiers { get; }

    /// <summary>The largest notional any position may reach: the last bracket's cap (exclusive).</summary>
    public decimal NotionalCap => Tiers[^1].NotionalCap;

    /// <summary>
    /// Builds the table from (cap, rate, leverage max) rows, floors chained from the previous cap.
    /// Returns null with <paramref name="error"/> set when the table is not usable.
    /// </summary>
    public static RiskBrackets? Create(IEnumerable<(decimal Cap, decimal Rate, int LeverageMax)> rows, out string error)
    {
        var tiers = new List<Bracket>();
        decimal floor = 0m, previousRate = 0m, cum = 0m;
        int previousLeverage = int.MaxValue;
        foreach (var (cap, rate, leverageMax) in rows)
        {
            error = Check(tiers.Count + 1, floor, cap, rate, previousRate, leverageMax, previousLeverage);
            if (error.Length > 0)
            {
                return null;
            }

            // cum_n = floor_n × (MMR_n − MMR_{n−1}) + cum_{n−1} keeps MM continuous at each floor.
            cum += floor * (rate - previousRate);
            tiers.Add(new Bracket(floor, cap, rate, leverageMax, cum));
            (floor, previousRate, previousLeverage) = (cap, rate, leverageMax);
        }

        error = tiers.Count == 0 ? "at least one bracket is required" : tiers.Count > 32 ? "at most 32 brackets" : "";
        return error.Length == 0 ? new RiskBrackets(tiers) : null;
    }

    private static string Check(int n, decimal floor, decimal cap, decimal rate, decimal previousRate, int leverageMax, int previousLeverage)
    {
        if (cap <= floor || cap > Money.Max)
        {
            return $"bracket {n}: notional cap {cap} must be above its floor {floor} and at most {Money.Max}";
        }

        if (rate <= previousRate || rate >= 1m)
        {
            return $"bracket {n}: maintenance margin rate {rate} must rise above {previousRate} and stay below 1";
        }

        if (leverageMax < 1 || leverageMax > previousLeverage || leverageMax > 1000)
        {
            return $"bracket {n}: leverage max {leverageMax} must be 1 to 1000 and not above the previous bracket's";
        }

        // Opening at full leverage must leave the position above maintenance: 1/L > MMR.
        return rate * leverageMax < 1m ? "" : $"bracket {n}: maintenance margin rate {rate} must be below 1/{leverageMax}";
    }

    /// <summary>The bracket holding <paramref name="notional"/>, or null beyond the last cap.</summary>
    public Bracket? For(decimal notional)
    {
        foreach (var tier in Tiers)
        {
            if (tier.Holds(notional))
            {
                return tier;
            }
        }

        return null;
    }

    /// <summary>MM at a notional; beyond the last cap the last bracket extends (it only grows riskier).</summary>
    public decimal MaintenanceMargin(decimal notional) => (For(notional) ?? Tiers[^1]).MaintenanceMargin(notional);
}
