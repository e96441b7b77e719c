using MarginOrleans.Tests.Support;

namespace MarginOrleans.Tests.Accounts;

/// <summary>The fund's group commit: concurrent transfers and their repeats each count exactly once.</summary>
[Collection(ClusterCollection.Name)]
public sealed class InsuranceFundTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ConcurrentTransfersAndRepeats_AreAppliedExactlyOnce()
    {
        // A fund of its own currency, so the fixture's audits are not disturbed.
        var fund = fixture.Grains.GetGrain<IInsuranceFundGrain>("T" + Guid.NewGuid().ToString("N")[..8]);
        var transfers = Enumerable.Range(1, 200).Select(i => ($"t{i}", i % 3 == 0 ? -i * 0.01m : i * 0.01m)).ToList();

        await Task.WhenAll(transfers.Concat(transfers).Select(t => fund.Apply(t.Item1, t.Item2)));

        var view = await fund.Get();
        Assert.Equal(transfers.Sum(t => t.Item2), view.Balance);
        Assert.Equal(transfers.Where(t => t.Item2 > 0).Sum(t => t.Item2), view.Received);
        Assert.Equal(-transfers.Where(t => t.Item2 < 0).Sum(t => t.Item2), view.Paid);
    }
}
