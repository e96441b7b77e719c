using MarginOrleans.Risk;

namespace MarginOrleans.Markets;

/// <summary>
/// The auto-deleveraging ranking of a trigger index's positions: each liquidation entry with a
/// standing is scored at the mark, read straight from the slot table (no grain called, no object
/// per position). A position's side is its liquidation lane's.
/// </summary>
internal sealed class DeleverageRanking(TriggerSlots slots)
{
    private static readonly TimeSpan RankingLife = TimeSpan.FromSeconds(1);

    private readonly StandingColumns standings = slots.Standings;

    /// <summary>Each side's sorted scores, by its liquidation lane's number, and when and at which mark they were taken.</summary>
    private readonly (DateTimeOffset At, decimal Mark, decimal[] Scores)?[] sortedScores = new (DateTimeOffset, decimal, decimal[])?[2];

    /// <summary>
    /// The <paramref name="count"/> best-ranked positions of <paramref name="side"/> in profit at the
    /// mark, best first: the auto-deleveraging queue. O(entries) over the index's
    /// liquidation triggers, no grain called.
    /// </summary>
    public List<DeleverageCandidate> Ranked(PositionSide side, decimal mark, int count)
    {
        var top = new PriorityQueue<DeleverageCandidate, decimal>();
        foreach (var (slot, score) in Scores(side, mark))
        {
            if (score > 0m && (top.Count < count || score > top.Peek().Score))
            {
                top.Enqueue(new DeleverageCandidate(slots.Owner(slot)!, score), score);
                if (top.Count > count)
                {
                    top.Dequeue();
                }
            }
        }

        var ranked = new List<DeleverageCandidate>(top.Count);
        while (top.Count > 0)
        {
            ranked.Add(top.Dequeue());
        }

        ranked.Reverse();
        return ranked;
    }

    /// <summary>
    /// The owner's ADL indicator (1–5) among the index's positions of its side, or 0 when it has no
    /// standing here. The side's sorted scores are kept for a second at one mark (entries changed
    /// meanwhile count from the next), so a view costs O(log N), not a scan.
    /// </summary>
    public int Quantile(string owner, decimal mark, DateTimeOffset now)
    {
        if (slots.SlotOf(owner) is not { } slot || !slots.Lane(slot).IsLiquidation() || !standings.Has(slot))
        {
            return 0;
        }

        var side = slots.Lane(slot).Side();
        if (sortedScores[(int)slots.Lane(slot)] is not { } sorted || sorted.At + RankingLife <= now || sorted.Mark != mark)
        {
            var scores = Scores(side, mark).Select(s => s.Score).ToArray();
            Array.Sort(scores);
            sortedScores[(int)slots.Lane(slot)] = sorted = (now, mark, scores);
        }

        var mine = Score(slot, side, mark);
        var below = Array.BinarySearch(sorted.Scores, mine);
        below = below >= 0 ? LowestIndexOf(sorted.Scores, below) : ~below;
        return Deleveraging.Quantile(mine, below, sorted.Scores.Length);
    }

    private static int LowestIndexOf(decimal[] sorted, int at)
    {
        while (at > 0 && sorted[at - 1] == sorted[at])
        {
            at--;
        }

        return at;
    }

    /// <summary>Every position of the side with a standing, scored at the mark: a long's liquidation fires at or below, a short's at or above.</summary>
    private IEnumerable<(int Slot, decimal Score)> Scores(PositionSide side, decimal mark)
    {
        var lane = TriggerLanes.LiquidationOf(side);
        for (var slot = 1; slot < slots.Used; slot++)
        {
            if (slots.Owner(slot) is not null && slots.Lane(slot) == lane && standings.Has(slot))
            {
                yield return (slot, Score(slot, side, mark));
            }
        }
    }

    private decimal Score(int slot, PositionSide side, decimal mark) =>
        Deleveraging.Score(side.Sign(), standings.EntryPrice(slot), standings.BankruptcyPrice(slot), mark);
}
