using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace MarginOrleans.Storage;

/// <summary>
/// The Azure tables outside grain state, each created once per process on first use. Every
/// name starts with the installation's prefix so that several installations (or test
/// clusters) can share one storage account without seeing each other.
/// </summary>
public sealed class Tables(TableServiceClient service, TablePrefix prefix)
{
    public const string Triggers = "triggers";
    public const string Journal = "journal";
    public const string Accounts = "accounts";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> clients = new();

    public Task<TableClient> Get(string name) =>
        clients.GetOrAdd(name, n => new Lazy<Task<TableClient>>(async () =>
        {
            var client = service.GetTableClient(prefix.Value + n);
            await client.CreateIfNotExistsAsync();
            return client;
        })).Value;
}

/// <summary>Letters and digits put before every table name of one installation.</summary>
public sealed record TablePrefix(string Value);
