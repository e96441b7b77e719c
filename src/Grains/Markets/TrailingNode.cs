namespace MarginOrleans.Markets;

/// <summary>One trailing stop in the book: pending (no group) or active in a group of its ladder.</summary>
internal sealed class TrailingNode(string owner, PositionSide protects, int rate, decimal? activation, long sequence)
{
    public TrailingGroup? Group;
    public TrailingNode? Previous, Next;

    public string Owner => owner;

    public PositionSide Protects => protects;

    /// <summary>The callback rate in tenths of a percent, 1 to 100.</summary>
    public int Rate => rate;

    public decimal? Activation => activation;

    /// <summary>The order stops were placed in; fired stops are reported in it.</summary>
    public long Sequence => sequence;

    /// <summary>The group this stop is in now, following merges; the path walked is shortened for next time.</summary>
    public TrailingGroup LiveGroup()
    {
        var live = Group!;
        while (live.MergedInto is { } into)
        {
            live = into;
        }

        for (var group = Group!; group != live;)
        {
            var next = group.MergedInto!;
            group.MergedInto = live;
            group = next;
        }

        return Group = live;
    }
}
