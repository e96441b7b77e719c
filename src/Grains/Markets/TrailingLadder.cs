namespace MarginOrleans.Markets;

/// <summary>
/// The active trailing stops of one side and one callback rate, in groups that share a peak. A stop
/// activated later has seen fewer marks, so its peak is never better than an earlier one's: the
/// groups form a stack from the best peak (bottom, the first to fire) to the worst (top, the newest).
/// A new best mark merges the groups it passes, from the top, into one; a fall fires whole groups
/// from the bottom. Prices are compared signed (<c>sign</c> +1 for a SELL stop, −1 for a BUY), so
/// "better" is "higher" for one and "lower" for the other.
/// </summary>
internal sealed class TrailingLadder(int sign, decimal factor)
{
    private TrailingGroup? bottom, top;

    /// <summary>What the peak is multiplied by to give the stop price: 1 − rate or 1 + rate.</summary>
    public decimal Factor => factor;

    public bool IsEmpty => bottom is null;

    /// <summary>Every group whose peak <paramref name="mark"/> equals or passes takes it as its peak: one group. O(groups merged).</summary>
    public void Raise(decimal mark)
    {
        if (top is not { } group || sign * group.Peak > sign * mark)
        {
            return;
        }

        group.Peak = mark;
        while (group.Below is { } below && sign * below.Peak <= sign * mark)
        {
            below.Absorb(group);
            Unlink(group);
            group = below;
            group.Peak = mark;
        }
    }

    /// <summary>Activates a stop at <paramref name="mark"/>, which must be the ladder's latest mark (raised first).</summary>
    public void Join(TrailingNode node, decimal mark)
    {
        Raise(mark);
        Stack(node, mark);
    }

    /// <summary>Puts a restored stop on top with its stored peak: restores come best peak first.</summary>
    public void Stack(TrailingNode node, decimal peak)
    {
        if (top is null || top.Peak != peak)
        {
            Push(new TrailingGroup(peak));
        }

        top!.Add(node);
    }

    private void Push(TrailingGroup group)
    {
        if (top is null)
        {
            bottom = group;
        }
        else
        {
            top.Above = group;
        }

        (group.Below, top) = (top, group);
    }

    /// <summary>Takes out every group the mark has fallen back from by the callback rate, best peak first.</summary>
    public void Fire(decimal mark, List<TrailingGroup> fired)
    {
        while (bottom is { } group && sign * mark <= sign * group.Peak * factor)
        {
            Unlink(group);
            fired.Add(group);
        }
    }

    public void Remove(TrailingNode node)
    {
        var group = node.LiveGroup();
        group.Remove(node);
        if (group.First is null)
        {
            Unlink(group); // an emptied group would otherwise stay until the mark merged or fired it
        }
    }

    private void Unlink(TrailingGroup group)
    {
        if (group.Below is null)
        {
            bottom = group.Above;
        }
        else
        {
            group.Below.Above = group.Above;
        }

        if (group.Above is null)
        {
            top = group.Below;
        }
        else
        {
            group.Above.Below = group.Below;
        }

        (group.Above, group.Below) = (null, null);
    }
}
