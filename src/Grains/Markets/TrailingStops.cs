namespace MarginOrleans.Markets;

/// <summary>
/// A market's trailing stops. A stop protecting a long (a SELL) follows the highest mark since its
/// activation and fires when the mark falls its callback rate below that peak; one protecting a
/// short (a BUY) mirrors it with the lowest mark. A stop with an activation price waits until the
/// mark reaches it (at or above it for a SELL, at or below for a BUY); without one it is active at
/// once, its peak the book's mark. A stop fires once and leaves the book.
/// <para>
/// Cost, independent of how many stops are active. Per side and callback rate (2 × 100 ladders) the
/// active stops sit in groups that share a peak (<see cref="TrailingLadder"/>): a tick merges the
/// groups a new best mark passes, fires whole groups from the far end and activates the waiting
/// stops it crosses, so it costs O(200 + groups merged + stops fired × log stops fired + stops
/// activated × log waiting). Adding and removing a stop cost O(log waiting) for a waiting stop and
/// amortized O(1) for an active one (a merged group forwards to the group it joined).
/// </para>
/// </summary>
public sealed class TrailingStops
{
    private const int Rates = 100;

    private readonly Dictionary<string, TrailingNode> owners = new(StringComparer.Ordinal);
    private readonly TrailingLadder[] ladders = new TrailingLadder[2 * Rates];
    private readonly TrailingActivations waiting = new();
    private readonly List<TrailingNode> activated = [];
    private readonly List<TrailingGroup> reached = [];
    private long sequence;

    /// <summary>A book at <paramref name="mark"/>: the mark a stop placed without an activation price starts from.</summary>
    public TrailingStops(decimal mark)
    {
        Mark = mark;
        for (var rate = 1; rate <= Rates; rate++)
        {
            ladders[Slot(PositionSide.Long, rate)] = new TrailingLadder(1, 1m - rate / 1_000m);
            ladders[Slot(PositionSide.Short, rate)] = new TrailingLadder(-1, 1m + rate / 1_000m);
        }
    }

    /// <summary>The latest mark the book has seen; every active stop's peak includes it.</summary>
    public decimal Mark { get; private set; }

    public int Count => owners.Count;

    /// <summary>A callback rate in percent a trailing stop accepts: 0.1 to 10, step 0.1.</summary>
    public static bool IsCallbackRate(decimal rate) => rate >= 0.1m && rate <= 10m && rate % 0.1m == 0m;

    /// <summary>Places the owner's stop, replacing any it had (an amendment is a new stop). Active at once when the activation price is absent or already reached.</summary>
    public void Add(string owner, PositionSide protects, decimal callbackRate, decimal? activationPrice = null)
    {
        Remove(owner);
        var node = Place(new TrailingStop(owner, protects, callbackRate, activationPrice, null));
        if (node.Group is null && !waiting.Holds(node))
        {
            LadderOf(node).Join(node, Mark);
        }
    }

    /// <summary>Takes the owner's stop out (a cancel); false when it had none.</summary>
    public bool Remove(string owner)
    {
        if (!owners.Remove(owner, out var node))
        {
            return false;
        }

        if (waiting.Holds(node))
        {
            waiting.Remove(node);
        }
        else
        {
            LadderOf(node).Remove(node);
        }

        return true;
    }

    /// <summary>A new mark: peaks follow it, waiting stops it reaches activate at it, and the stops it reaches fire, in the order they were placed.</summary>
    public IReadOnlyList<TrailingStopFired> Tick(decimal mark)
    {
        Mark = mark;
        foreach (var ladder in ladders)
        {
            ladder.Raise(mark);
        }

        activated.Clear();
        waiting.Reached(mark, activated);
        foreach (var node in activated)
        {
            LadderOf(node).Join(node, mark);
        }

        reached.Clear();
        foreach (var ladder in ladders)
        {
            if (!ladder.IsEmpty)
            {
                ladder.Fire(mark, reached);
            }
        }

        return reached.Count == 0 ? [] : Fired(reached, mark);
    }

    /// <summary>Every stop with its peak so far (null while waiting), in the order they were placed: what storage keeps.</summary>
    public IReadOnlyList<TrailingStop> Snapshot() =>
        [.. owners.Values.OrderBy(n => n.Sequence).Select(n =>
            new TrailingStop(n.Owner, n.Protects, n.Rate / 10m, n.Activation, n.Group is null ? null : n.LiveGroup().Peak))];

    /// <summary>The book a <see cref="Snapshot"/> was taken of, at the mark it had then; the order of the list is the order of placement.</summary>
    public static TrailingStops Restore(decimal mark, IEnumerable<TrailingStop> stops)
    {
        var book = new TrailingStops(mark);
        var active = new List<(TrailingNode Node, decimal Peak)>();
        foreach (var stop in stops)
        {
            var node = book.Place(stop);
            if (!book.waiting.Holds(node))
            {
                active.Add((node, stop.Peak ?? mark));
            }
        }

        // Best peak first, so each ladder's groups are stacked as the ticks left them.
        foreach (var (node, peak) in active.OrderByDescending(a => a.Node.Protects.Sign() * a.Peak).ThenBy(a => a.Node.Sequence))
        {
            book.LadderOf(node).Stack(node, peak);
        }

        foreach (var ladder in book.ladders)
        {
            ladder.Raise(mark);
        }

        return book;
    }

    /// <summary>Checks a stop and enters it under its owner: waiting when it has no peak and its activation price is not reached yet, else not yet in a ladder.</summary>
    private TrailingNode Place(TrailingStop stop)
    {
        var (owner, protects, rate, activation) = (stop.Owner, stop.Protects, stop.CallbackRate, stop.ActivationPrice);
        if (string.IsNullOrEmpty(owner) || !IsCallbackRate(rate) || activation <= 0m || !Enum.IsDefined(protects) || owners.ContainsKey(owner))
        {
            throw new ArgumentException($"a trailing stop needs a new owner, a side, a callback rate of 0.1 to 10 step 0.1 and a positive activation price, not '{owner}' {protects} {rate} {activation}");
        }

        var node = new TrailingNode(owner, protects, (int)(rate * 10m), activation, sequence++);
        owners.Add(owner, node);
        if (stop.Peak is null && activation is { } price && !TrailingActivations.Reached(protects, price, Mark))
        {
            waiting.Add(node);
        }

        return node;
    }

    private List<TrailingStopFired> Fired(List<TrailingGroup> groups, decimal mark)
    {
        var fired = new List<(TrailingNode Node, decimal Peak, decimal Factor)>();
        foreach (var group in groups)
        {
            for (var node = group.First; node is not null; node = node.Next)
            {
                owners.Remove(node.Owner);
                fired.Add((node, group.Peak, LadderOf(node).Factor));
            }
        }

        return [.. fired.OrderBy(f => f.Node.Sequence).Select(f => new TrailingStopFired(f.Node.Owner, f.Node.Protects, f.Peak, f.Peak * f.Factor, mark))];
    }

    private TrailingLadder LadderOf(TrailingNode node) => ladders[Slot(node.Protects, node.Rate)];

    private static int Slot(PositionSide protects, int rate) => (protects == PositionSide.Long ? 0 : Rates) + rate - 1;
}
