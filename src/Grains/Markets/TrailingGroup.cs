namespace MarginOrleans.Markets;

/// <summary>
/// Trailing stops that share a peak, in a list that joins another in O(1). A group merged into
/// another forwards to it (<see cref="MergedInto"/>), so a stop finds its live group without the
/// merge touching every member. Fields, not properties: the ladder relinks them on every tick.
/// </summary>
internal sealed class TrailingGroup(decimal peak)
{
    public decimal Peak = peak;
    public TrailingGroup? Below, Above, MergedInto;
    public TrailingNode? First, Last;

    public void Add(TrailingNode node)
    {
        (node.Group, node.Previous, node.Next) = (this, Last, null);
        if (Last is null)
        {
            First = node;
        }
        else
        {
            Last.Next = node;
        }

        Last = node;
    }

    public void Remove(TrailingNode node)
    {
        if (node.Previous is null)
        {
            First = node.Next;
        }
        else
        {
            node.Previous.Next = node.Next;
        }

        if (node.Next is null)
        {
            Last = node.Previous;
        }
        else
        {
            node.Next.Previous = node.Previous;
        }

        (node.Group, node.Previous, node.Next) = (null, null, null);
    }

    /// <summary>Takes every member of <paramref name="other"/>, which forwards here from now on.</summary>
    public void Absorb(TrailingGroup other)
    {
        if (other.First is { } first)
        {
            first.Previous = Last;
            if (Last is null)
            {
                First = first;
            }
            else
            {
                Last.Next = first;
            }

            Last = other.Last;
        }

        (other.First, other.Last, other.MergedInto) = (null, null, this);
    }
}
