using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace MarginOrleans.Storage;

/// <summary>The Azure tables outside grain state, each created once per process on first use.</summary>
public sealed class Tables(TableServiceClient service)
{
    public const string Triggers = "triggers";
    public const string Journal = "journal";
    public const string Accounts = "accounts";

    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> clients = new();

    public Task<TableClient> Get(string name) =>
        clients.GetOrAdd(name, n => new Lazy<Task<TableClient>>(async () =>
        {
            var client = service.GetTableClient(n);
            await client.CreateIfNotExistsAsync();
            return client;
        })).Value;
}
