using MarginOrleans.Accounts;
using MarginOrleans.Operations;
using MarginOrleans.Tests.Support;
using static MarginOrleans.Tests.Support.Trading;

namespace MarginOrleans.Tests.Storage;

/// <summary>
/// A caller's word that a grain is new (<see cref="AssumedNew"/>) skips its read when true and costs
/// only time when false: the insert it leads to is refused, and the grain reads what is stored. Each
/// case runs on a second cluster over the first one's tables (against Azurite), so nothing is active.
/// </summary>
public sealed class AssumedNewTests
{
    private const string AccountRead = "journal account state read read";
    private const string AccountBatch = "journal account batch write";
    private const string DirectoryRow = "accounts directory batch write";

    [Fact]
    public async Task CreatingAnAccountThatExists_IsRefusedAsBefore_AndMovesNothing()
    {
        var (prefix, key, create) = (ClusterFixture.NewTablePrefix(), "acc-" + Guid.NewGuid().ToString("N")[..12], RequestId());
        await ClusterFixture.Run(prefix, grains => new Trading(grains).Account(1_000m, key, create));

        await OnASecondCluster(prefix, key, async (trading, account, operations) =>
        {
            var again = await AssumedNew.Call(account, () => account.Create(RequestId()));
            await trading.Quiet();

            // The refused insert of its state row, then the read of the row that is there.
            Assert.Equal(Rejection.AccountExists, again.Result.Reason);
            Assert.Equal(new[] { AccountBatch, AccountRead, DirectoryRow }.Order(StringComparer.Ordinal), operations.Take());
            Assert.True((await AssumedNew.Call(account, () => account.Create(create + "-create"))).Result.IsOk); // the first create, replayed
            Assert.Equal(1_000m, (await account.GetAccount())!.WalletBalance);
            Assert.Equal([JournalKind.Deposit], (await account.GetJournal(1, 10)).Select(e => e.Kind));
            await trading.AssertConserved();
        });
    }

    /// <summary>Only the create that assumed a state acts on it: any other call reads the stored state first, then activates on it.</summary>
    [Fact]
    public async Task AnyOtherCallToldAnAccountIsNew_ReadsItsStoredState()
    {
        var (prefix, key) = (ClusterFixture.NewTablePrefix(), "acc-" + Guid.NewGuid().ToString("N")[..12]);
        var wallet = 0m;
        await ClusterFixture.Run(prefix, async grains =>
        {
            var account = await new Trading(grains).Account(1_000m, key, RequestId());
            wallet = (await Open(account, await new Trading(grains).Market(20_000m), PositionSide.Long, 0.1m, 10)).WalletBalance;
        });

        await OnASecondCluster(prefix, key, async (trading, account, operations) =>
        {
            var view = await AssumedNew.Call(account, account.GetAccount);
            Assert.NotNull(view);
            Assert.Single(view.Positions);
            Assert.True(wallet < 1_000m);
            Assert.Equal(wallet, view.WalletBalance);
            Assert.Contains(AccountRead, operations.Take());
            Assert.True((await account.Deposit(RequestId(), 5m)).Result.IsOk);
            Assert.Equal(wallet + 5m, (await account.GetAccount())!.WalletBalance);
            await trading.AssertConserved();
        });
    }

    /// <summary>Runs <paramref name="body"/> on a new cluster over <paramref name="prefix"/>'s tables, once quiet, counting its storage operations from then on.</summary>
    private static async Task OnASecondCluster(string prefix, string key, Func<Trading, IAccountGrain, StorageOperations, Task> body)
    {
        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            var trading = new Trading(grains);
            await trading.Quiet();
            operations.Take();
            await body(trading, grains.GetGrain<IAccountGrain>(key), operations);
        });
    }

    /// <summary>A key's grain wrongly told it is new: its insert is refused, the call is made again and writes over what it read.</summary>
    [Fact]
    public async Task AKeyWronglyToldItIsNew_IsReadAndWrittenAfterTheRefusedInsert()
    {
        var (prefix, hash) = (ClusterFixture.NewTablePrefix(), ApiKeys.Hash(ApiKeys.NewKey()));
        await ClusterFixture.Run(prefix, grains => grains.GetGrain<IApiKeyGrain>(hash).Assign(new Principal(Role.Trader, "acc-first")));

        using var operations = new StorageOperations(prefix);
        await ClusterFixture.Run(prefix, async grains =>
        {
            await new Trading(grains).Quiet();
            operations.Take();
            var key = grains.GetGrain<IApiKeyGrain>(hash);
            await AssumedNew.Call(key, () => key.Assign(new Principal(Role.Trader, "acc-second")));

            Assert.Equal(["grains conditional replace write", "grains insert write", "grains point read read"], operations.Take());
            Assert.Equal("acc-second", (await key.Resolve())!.AccountId);
        });
    }
}
