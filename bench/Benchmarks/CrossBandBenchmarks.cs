using BenchmarkDotNet.Attributes;
using MarginOrleans.Markets;
using MarginOrleans.Positions;
using MarginOrleans.Risk;

namespace MarginOrleans.Benchmarks;

/// <summary>
/// Cross accounts holding BTC and ETH, each with one band per symbol in the ETH market's index.
/// A tick costs the same at 1k and 100k accounts: it walks only crossed bands. Registering an
/// account's bands is the band math for two legs plus one index move.
/// </summary>
[MemoryDiagnoser, ShortRunJob]
public class CrossBandBenchmarks
{
    private static readonly RiskBrackets Brackets = RiskBrackets.Create(
        [(50_000m, 0.004m, 125), (250_000m, 0.005m, 100), (1_000_000m, 0.01m, 50), (10_000_000m, 0.025m, 20)], out _)!;

    private TriggerIndex index = null!;
    private CrossLeg[][] accounts = null!;
    private DateTimeOffset now = DateTimeOffset.UnixEpoch;
    private int next;

    [Params(1_000, 100_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        index = new TriggerIndex();
        accounts = new CrossLeg[Accounts][];
        for (var i = 0; i < Accounts; i++)
        {
            accounts[i] =
            [
                new CrossLeg(-1, random.Next(1, 50) * 0.01m, 20_000m, 20_000m, 10, Brackets),
                new CrossLeg(1, random.Next(1, 500) * 0.01m, 1_000m, 1_000m, 10, Brackets),
            ];
            Register(i, 500m + random.Next(0, 5_000));
        }
    }

    [Benchmark(Baseline = true, Description = "re-mark every account (baseline)")]
    public int ReMarkAll()
    {
        var mark = NextMark();
        var liquidatable = 0;
        foreach (var legs in accounts)
        {
            if (CrossMath.IsLiquidatable(1_000m, [legs[0], legs[1] with { Mark = mark }]))
            {
                liquidatable++;
            }
        }

        return liquidatable;
    }

    [Benchmark(Description = "band tick")]
    public int BandTick() => index.Fire(NextMark(), now = now.AddSeconds(1)).Count;

    [Benchmark(Description = "register one account's bands")]
    public int RegisterBands() => Register(next++ % Accounts, 2_000m);

    private int Register(int account, decimal wallet)
    {
        var legs = accounts[account];
        var bands = CrossMath.Bands(wallet, legs)!;
        if (bands[1] is { } eth)
        {
            index.Set(TriggerPlan.Entry(TriggerKey.Band("acc-" + account), PositionSide.Long, eth));
        }

        return index.Count;
    }

    private decimal NextMark() => 999m + (next++ % 5) * 0.1m;
}
