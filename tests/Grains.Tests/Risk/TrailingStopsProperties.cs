namespace MarginOrleans.Tests.Risk;

/// <summary>The grouped book against a plain list that re-checks every stop on every tick.</summary>
public sealed class TrailingStopsProperties
{
    /// <summary>The obvious O(N) book: what the grouped one must match, fired stops in the order they were placed.</summary>
    private sealed class Reference(decimal mark)
    {
        private readonly List<TrailingStop> stops = [];

        public void Add(string owner, PositionSide protects, decimal rate, decimal? activation)
        {
            Remove(owner);
            var active = activation is not { } a || (protects == PositionSide.Long ? mark >= a : mark <= a);
            stops.Add(new TrailingStop(owner, protects, rate, activation, active ? mark : null));
        }

        public void Remove(string owner) => stops.RemoveAll(s => s.Owner == owner);

        public List<TrailingStopFired> Tick(decimal next)
        {
            mark = next;
            var fired = new List<TrailingStopFired>();
            for (var i = 0; i < stops.Count; i++)
            {
                var s = stops[i];
                var sign = s.Protects.Sign();
                var peak = s.Peak is { } p ? (sign * mark > sign * p ? mark : p)
                    : (sign * mark >= sign * s.ActivationPrice!.Value ? mark : (decimal?)null);
                stops[i] = s with { Peak = peak };
                var stop = peak * (1m - sign * s.CallbackRate / 100m);
                if (stop is { } price && sign * mark <= sign * price)
                {
                    fired.Add(new TrailingStopFired(s.Owner, s.Protects, peak!.Value, price, mark));
                }
            }

            stops.RemoveAll(s => fired.Any(f => f.Owner == s.Owner));
            return fired;
        }

        public List<TrailingStop> Snapshot() => [.. stops];
    }

    [Fact]
    public void RandomPaths_FireTheSameStopsInTheSameOrderAsReCheckingEveryStop()
    {
        for (var seed = 1; seed <= 40; seed++)
        {
            var random = new Random(seed);
            var mark = 100m;
            var (book, reference) = (new TrailingStops(mark), new Reference(mark));
            for (var step = 0; step < 1_500; step++)
            {
                var roll = random.Next(10);
                if (roll < 3)
                {
                    // Few rates and sides so that many stops share a ladder and merge; edge rates included.
                    var (owner, side) = ("o" + random.Next(60), random.Next(2) == 0 ? PositionSide.Long : PositionSide.Short);
                    var rate = new[] { 0.1m, 0.5m, 1m, 10m }[random.Next(4)];
                    decimal? activation = random.Next(3) == 0 ? mark + random.Next(-300, 301) * 0.01m : null;
                    book.Add(owner, side, rate, activation);
                    reference.Add(owner, side, rate, activation);
                }
                else if (roll == 3)
                {
                    var owner = "o" + random.Next(60);
                    book.Remove(owner);
                    reference.Remove(owner);
                }
                else if (roll == 4 && step % 7 == 0)
                {
                    book = TrailingStops.Restore(book.Mark, book.Snapshot());
                }
                else
                {
                    mark = Math.Max(1m, mark + random.Next(-120, 121) * 0.01m);
                    Assert.True(reference.Tick(mark).SequenceEqual(book.Tick(mark)), $"reproduce with seed={seed} at step {step}");
                }

                Assert.True(reference.Snapshot().SequenceEqual(book.Snapshot()), $"reproduce with seed={seed} at step {step} (snapshot)");
            }
        }
    }
}
