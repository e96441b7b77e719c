namespace MarginOrleans.Risk;

/// <summary>
/// The two marks of one symbol at which a cross account reaches a line (maintenance, or its band),
/// every other mark held: <see cref="Below"/> is reached as the mark falls, <see cref="Above"/> as it
/// rises. Null where no positive price reaches the line on that side. A one-way long has only a
/// price below and a short only one above; a hedged pair can have both, since its maintenance
/// margin grows faster than its net position's profit once the price is high enough.
/// </summary>
public sealed record MarkBounds(decimal? Below, decimal? Above)
{
    public static readonly MarkBounds None = new(null, null);

    /// <summary>The one price to show: the bound nearer <paramref name="mark"/>, or the only one.</summary>
    public decimal? Nearest(decimal mark) => (Below, Above) switch
    {
        ({ } below, { } above) => mark - below <= above - mark ? below : above,
        _ => Below ?? Above,
    };
}
