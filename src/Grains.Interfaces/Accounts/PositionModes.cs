using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

/// <summary>
/// The position mode's rules: one-way accounts name the BOTH leg, hedge accounts LONG or SHORT;
/// reduce-only is a one-way flag (a hedge leg's side already says whether an order opens or closes);
/// the mode changes only with nothing open, and a refusal names what is.
/// </summary>
public static class PositionModes
{
    public static Rejected Fits(PositionMode mode, LegKey leg) => (mode, leg.Side) switch
    {
        (PositionMode.OneWay, not LegSide.Both) => new Rejected(Rejection.PositionSideMismatch,
            $"the account is in one-way mode: position side {Name(leg.Side)} is for hedge mode; use BOTH"),
        (PositionMode.Hedge, LegSide.Both) => new Rejected(Rejection.PositionSideMismatch,
            "the account is in hedge mode: name the leg, position side LONG or SHORT"),
        _ => Rejected.Ok,
    };

    public static Rejected ReduceOnly(PositionMode mode, bool reduceOnly) => mode == PositionMode.Hedge && reduceOnly
        ? new Rejected(Rejection.ReduceOnlyNotApplicable, "reduce-only does not apply in hedge mode: the opposite side of a leg only reduces it")
        : Rejected.Ok;

    /// <summary><paramref name="open"/>: the positions open now (their <see cref="LegKey"/> texts), in any mode; <paramref name="orders"/>: the conditional orders waiting.</summary>
    public static Rejected CheckChange(PositionMode next, IReadOnlyCollection<string> open, IReadOnlyCollection<long> orders)
    {
        if (open.Count == 0 && orders.Count == 0)
        {
            return Rejected.Ok;
        }

        var what = new List<string>();
        if (open.Count > 0)
        {
            what.Add($"open: {string.Join(", ", open.Order(StringComparer.Ordinal))}");
        }

        if (orders.Count > 0)
        {
            what.Add($"orders waiting: {string.Join(", ", orders.Order())}");
        }

        return new Rejected(Rejection.PositionModeChangeWithOpenPosition,
            $"the position mode can change to {Name(next)} only with no open position and no order waiting; {string.Join("; ", what)}");
    }

    public static string Name(LegSide side) => side.ToString().ToUpperInvariant();

    public static string Name(PositionMode mode) => mode == PositionMode.Hedge ? "hedge" : "one-way";
}
