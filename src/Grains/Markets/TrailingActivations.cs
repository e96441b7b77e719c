namespace MarginOrleans.Markets;

/// <summary>
/// Trailing stops waiting for their activation price, sorted by it: SELL stops (protecting a long)
/// activate when the mark rises to theirs, lowest first; BUY stops when it falls to theirs, highest
/// first. A tick takes out only what it reaches: O(log waiting) each.
/// </summary>
internal sealed class TrailingActivations
{
    private static readonly Comparer<TrailingNode> ByActivation = Comparer<TrailingNode>.Create((a, b) =>
        a.Activation!.Value != b.Activation!.Value ? a.Activation.Value.CompareTo(b.Activation.Value) : a.Sequence.CompareTo(b.Sequence));

    private readonly SortedSet<TrailingNode> rising = new(ByActivation), falling = new(ByActivation);

    /// <summary>True when <paramref name="mark"/> has reached the activation price of a stop protecting <paramref name="protects"/>.</summary>
    public static bool Reached(PositionSide protects, decimal activation, decimal mark) =>
        protects == PositionSide.Long ? mark >= activation : mark <= activation;

    public bool Holds(TrailingNode node) => node.Activation is not null && SetOf(node).Contains(node);

    public void Add(TrailingNode node) => SetOf(node).Add(node);

    public void Remove(TrailingNode node) => SetOf(node).Remove(node);

    /// <summary>Takes out every stop <paramref name="mark"/> activates into <paramref name="reached"/>, in activation-price order.</summary>
    public void Reached(decimal mark, List<TrailingNode> reached)
    {
        while (rising.Count > 0 && rising.Min!.Activation <= mark)
        {
            reached.Add(rising.Min);
            rising.Remove(rising.Min);
        }

        while (falling.Count > 0 && falling.Max!.Activation >= mark)
        {
            reached.Add(falling.Max);
            falling.Remove(falling.Max);
        }
    }

    private SortedSet<TrailingNode> SetOf(TrailingNode node) => node.Protects == PositionSide.Long ? rising : falling;
}
