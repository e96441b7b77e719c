using CsCheck;

namespace MarginOrleans.Tests.Markets;

/// <summary>
/// The compact index (flat sorted arrays, an unsorted tail, stale pairs dropped at merges) fires
/// exactly what a plain list of entries says the mark crosses, after any sequence of changes —
/// long enough sequences to pass through tail merges and stale compactions.
/// </summary>
public sealed class TriggerIndexProperties
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private abstract record Op;

    private sealed record SetOp(TriggerEntry Entry) : Op;

    private sealed record RemoveOp(string Owner) : Op;

    private sealed record FireOp(decimal Mark) : Op;

    // Prices with up to 8 decimals (the index's precision), crowded into a narrow range so ticks cross many.
    private static readonly Gen<decimal> Prices = Gen.Int[9_990_000, 10_010_000].Select(units => units / 1_000m);

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (12, from owner in Gen.Int[0, 60]
             from below in Gen.Bool
             from price in Prices
             select (Op)new SetOp(new TriggerEntry($"o{owner}", below ? TriggerDirection.AtOrBelow : TriggerDirection.AtOrAbove, price))),
        (3, Gen.Int[0, 60].Select(owner => (Op)new RemoveOp($"o{owner}"))),
        (1, Prices.Select(mark => (Op)new FireOp(mark))));

    [Fact]
    public void Fire_MatchesAPlainListOfEntries_AfterAnySequenceOfChanges() =>
        Ops.Array[1, 12_000].Sample(ops =>
        {
            var index = new TriggerIndex();
            var entries = new Dictionary<string, TriggerEntry>();
            var awaited = new HashSet<string>();
            foreach (var op in ops)
            {
                switch (op)
                {
                    case SetOp set:
                        index.Set(set.Entry);
                        entries[set.Entry.Owner] = set.Entry;
                        break;
                    case RemoveOp remove:
                        Assert.Equal(entries.Remove(remove.Owner), index.Remove(remove.Owner));
                        awaited.Remove(remove.Owner);
                        break;
                    case FireOp fire:
                        var expected = entries.Values
                            .Where(e => !awaited.Contains(e.Owner) && (e.Direction == TriggerDirection.AtOrBelow ? fire.Mark <= e.Price : fire.Mark >= e.Price))
                            .Select(e => e.Owner).Order().ToList();
                        awaited.UnionWith(expected);
                        Assert.Equal(expected, index.Fire(fire.Mark, Now).Order().ToList());
                        break;
                }
            }

            Assert.Equal(entries.Count, index.Count);
            Assert.Equal(awaited.Count, index.Unanswered);
            Assert.All(entries.Values, e => Assert.True(index.Holds(e)));
        }, iter: 60);

    [Fact]
    public void APriceFinerThanTheIndex_FiresEarlyNeverLate()
    {
        var index = new TriggerIndex();
        index.Set(new TriggerEntry("long", TriggerDirection.AtOrBelow, 100.000000001m));
        index.Set(new TriggerEntry("short", TriggerDirection.AtOrAbove, 199.999999999m));

        // Held as 100.00000001 and 199.99999999: the exact price fires, and one unit beyond it does too.
        Assert.Equal(["long"], index.Fire(100.00000001m, Now));
        Assert.Equal(["short"], index.Fire(199.99999999m, Now));
    }
}
