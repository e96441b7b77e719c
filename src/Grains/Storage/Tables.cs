using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace MarginOrleans.Storage;

/// <summary>
/// The Azure tables outside grain state, each opened (and created) once per process on first use.
/// Every name starts with the installation's prefix, so that several installations (or test
/// clusters) can share one storage account without seeing each other.
/// </summary>
public sealed class Tables(Func<string, TableClient> open)
{
    public const string Triggers = "triggers";
    public const string Journal = "journal";
    public const string Accounts = "accounts";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> clients = new();

    public static Tables Azure(TableServiceClient service, string prefix) => new(name => service.GetTableClient(prefix + name));

    /// <summary>Tables in this process's memory: for engine-only runs with one silo, never for data that matters.</summary>
    public static Tables Memory() => new(_ => new MemoryTableClient());

    public Task<TableClient> Get(string name) =>
        clients.GetOrAdd(name, n => new Lazy<Task<TableClient>>(async () =>
        {
            var client = open(n);
            await client.CreateIfNotExistsAsync();
            return client;
        })).Value;
}
