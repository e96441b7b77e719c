using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace MarginOrleans.Storage;

/// <summary>
/// The Azure tables outside grain state, each opened (and created) once per process on first use,
/// in each of the installation's storage accounts: a row's key picks the account
/// (<see cref="StorageShard"/>), so one account's (or trigger shard's) rows all lie in one.
/// Every name starts with the installation's prefix, so that several installations (or test
/// clusters) can share one storage account without seeing each other.
/// </summary>
public sealed class Tables(int accounts, Func<int, string, TableClient> open)
{
    public const string Triggers = "triggers";
    public const string Journal = "journal";
    public const string Accounts = "accounts";

    /// <summary>Isolated positions' state, by market bucket (<see cref="PositionRows"/>).</summary>
    public const string Positions = "positions";

    /// <summary>Each insurance fund's state and the transfers it has applied and their senders not yet confirmed (<see cref="FundRows"/>).</summary>
    public const string Funds = "funds";

    /// <summary>Orleans' own table storage of grain state (every grain's but the account's and the isolated position's, and theirs stored before).</summary>
    public const string Grains = "grains";

    private readonly ConcurrentDictionary<(int Account, string Name), Lazy<Task<TableClient>>> clients = new();

    /// <summary>How many storage accounts the rows spread over.</summary>
    public int StorageAccounts => accounts;

    public static Tables Azure(TableServiceClient service, string prefix) => Azure([service], prefix);

    public static Tables Azure(IReadOnlyList<TableServiceClient> services, string prefix) =>
        new(services.Count, (account, name) => services[account].GetTableClient(prefix + name));

    /// <summary>Tables in this process's memory: for engine-only runs with one silo, never for data that matters.</summary>
    public static Tables Memory() => new(1, (_, _) => new MemoryTableClient());

    /// <summary>The table <paramref name="name"/> in the storage account that holds the rows of <paramref name="key"/>.</summary>
    public Task<TableClient> Get(string name, string key) => InAccount(StorageShard.Of(key, accounts), name);

    /// <summary>The table <paramref name="name"/> in every storage account: for a scan of all rows.</summary>
    public Task<TableClient[]> All(string name) => Task.WhenAll(Enumerable.Range(0, accounts).Select(account => InAccount(account, name)));

    /// <summary>The table <paramref name="name"/> in storage account <paramref name="account"/> (0 to N − 1).</summary>
    public Task<TableClient> InAccount(int account, string name) =>
        clients.GetOrAdd((account, name), key => new Lazy<Task<TableClient>>(async () =>
        {
            var client = open(key.Account, key.Name);
            await client.CreateIfNotExistsAsync();
            return client;
        })).Value;
}
