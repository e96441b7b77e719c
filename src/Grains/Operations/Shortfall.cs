using MarginOrleans.Markets;

namespace MarginOrleans.Operations;

/// <summary>
/// What a fund paid beyond its balance for one bankrupt liquidation and still owes. Each unit of
/// the bankrupt position closed against the other side at its bankruptcy price covers
/// <see cref="PerUnit"/>, the deficit per unit; a shortfall from a transfer that described no
/// deficit (<see cref="Side"/> null) is covered only by money coming in.
/// </summary>
[GenerateSerializer, Alias("Shortfall")]
public sealed class Shortfall
{
    [Id(0)] public string Id { get; set; } = "";
    [Id(1)] public decimal Remaining { get; set; }
    [Id(2)] public PositionSide? Side { get; set; }
    [Id(3)] public decimal PerUnit { get; set; }
    [Id(4)] public decimal BankruptcyPrice { get; set; }

    /// <summary>The bankrupt position's market, whose other side pays (a shared fund serves several).</summary>
    [Id(5)] public string Symbol { get; set; } = "";

    public bool CanDeleverage => Side is not null && PerUnit > 0m && Symbol.Length > 0;

    /// <summary>The side auto-deleveraging closes: the bankrupt position's other side.</summary>
    public PositionSide Counterparty => Side == PositionSide.Long ? PositionSide.Short : PositionSide.Long;

    /// <summary>The bankrupt position's deficit <paramref name="paid"/> over its quantity; its bankruptcy price lies that far from the mark, against it.</summary>
    public static Shortfall Of(string id, decimal shortfall, decimal paid, Deficit? deficit)
    {
        if (deficit is not { Quantity: > 0m } d)
        {
            return new Shortfall { Id = id, Remaining = shortfall };
        }

        var perUnit = paid / d.Quantity;
        return new Shortfall
        {
            Id = id, Remaining = shortfall, Side = d.Side, PerUnit = perUnit, BankruptcyPrice = d.MarkPrice + d.Side.Sign() * perUnit, Symbol = d.Symbol,
        };
    }

    /// <summary>
    /// Most shortfalls a fund keeps apart. The fund's whole state is one storage row (Azure Table
    /// takes 1 MB an entity) and one gap can bankrupt thousands of positions at once: past this
    /// many, a new shortfall joins the newest of its market and side (1,000 take about 93 KB).
    /// </summary>
    public const int KeptApart = 1_000;

    /// <summary>
    /// Adds <paramref name="added"/>, or past <see cref="KeptApart"/> adds what it owes to the newest
    /// shortfall of the same market and side, whose bankruptcy price and deficit per unit then stand
    /// for both: auto-deleveraging collects the sum, at that price. Σ remaining is unchanged.
    /// </summary>
    public static void Add(List<Shortfall> shortfalls, Shortfall added)
    {
        if (shortfalls.Count >= KeptApart && shortfalls.LastOrDefault(s => s.Symbol == added.Symbol && s.Side == added.Side) is { } newest)
        {
            newest.Remaining += added.Remaining;
            return;
        }

        shortfalls.Add(added);
    }

    /// <summary>
    /// Money that came in pays the shortfall it was collected for first (<paramref name="first"/>: an
    /// auto-deleveraging order's, so one market's traders pay for their own market), then the oldest.
    /// </summary>
    public static void Cover(List<Shortfall> shortfalls, decimal paid, string? first = null)
    {
        var order = shortfalls.Where(s => s.Id == first).Concat(shortfalls.Where(s => s.Id != first)).ToList();
        foreach (var shortfall in order)
        {
            var covered = Math.Min(paid, shortfall.Remaining);
            (shortfall.Remaining, paid) = (shortfall.Remaining - covered, paid - covered);
            if (shortfall.Remaining == 0m)
            {
                shortfalls.Remove(shortfall);
            }
        }
    }
}
