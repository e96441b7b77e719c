using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;

namespace MarginOrleans.Storage;

/// <summary>
/// The number of storage accounts the data is spread over, recorded in a row of the first one at
/// the first start. A silo configured with another number refuses to start: its hash would look
/// for every key's rows in the wrong account and find none — the data would seem lost, and new
/// rows would fork it. Moving data to another number of accounts is a migration, never a restart.
/// The check runs while the host is starting, before any hosted service starts (the host aborts on
/// a throw there): a refused silo never opens its ports nor joins the cluster. Checked in the silo's
/// own lifecycle instead, it left a half-started silo whose membership and directory loops ran on.
/// The first start also records whether Orleans' grain rows held anything yet, and that positions
/// have rows of their own from then on (<see cref="StateStoredBefore"/>).
/// </summary>
public sealed class StorageLayout(Tables tables, StateStoredBefore before) : IHostedLifecycleService
{
    public const string Table = "layout";
    private const string Partition = "layout";
    private const string Row = "storage-accounts";

    /// <summary>The layout row's column saying whether Orleans' grain rows held anything at its first start (absent in rows recorded before it).</summary>
    private const string GrainRowsBefore = "GrainRowsBefore";

    /// <summary>The layout row's column saying positions had rows of their own from its first start (absent in rows recorded before them).</summary>
    private const string PositionRowsFromStart = "PositionRowsFromStart";

    public Task StartingAsync(CancellationToken cancellationToken) => Check(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Records the number of storage accounts if none is recorded; throws if another is.</summary>
    public async Task Check(CancellationToken cancellation)
    {
        var table = await tables.InAccount(0, Table);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellation);
        if (!found.HasValue)
        {
            await RefuseRowsWrittenBefore(cancellation);
            var grainRows = await AnyGrainRows(cancellation);
            try
            {
                await table.AddEntityAsync(new TableEntity(Partition, Row) { ["Count"] = tables.StorageAccounts, [GrainRowsBefore] = grainRows, [PositionRowsFromStart] = true }, cancellation);
                (before.Possible, before.Positions) = (grainRows, grainRows);
                return;
            }
            catch (RequestFailedException raced) when (raced.Status == 409)
            {
                found = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellation); // another silo recorded it first
            }
        }

        var recorded = found.Value!.GetInt32("Count")!.Value;
        before.Possible = found.Value.GetBoolean(GrainRowsBefore) ?? true;
        before.Positions = before.Possible || found.Value.GetBoolean(PositionRowsFromStart) != true;
        if (recorded != tables.StorageAccounts)
        {
            throw new InvalidOperationException(
                $"The stored data is spread over {recorded} storage account(s), but this silo is configured with {tables.StorageAccounts} " +
                $"(Margin:StorageAccounts). Each key's rows lie in the account its hash picks among {recorded}: with {tables.StorageAccounts} " +
                $"they would not be found. Configure the same {recorded} account(s), in the same order.");
        }
    }

    /// <summary>Whether Orleans' grain rows hold anything yet: if not, no account's state can lie there (<see cref="StateStoredBefore"/>).</summary>
    private async Task<bool> AnyGrainRows(CancellationToken cancellation)
    {
        foreach (var grains in await tables.All(Tables.Grains))
        {
            await foreach (var _ in grains.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Data written before the layout was recorded lies in one account: spreading it now would lose it from view.</summary>
    private async Task RefuseRowsWrittenBefore(CancellationToken cancellation)
    {
        if (tables.StorageAccounts == 1)
        {
            return;
        }

        var accounts = await tables.InAccount(0, Tables.Accounts);
        await foreach (var _ in accounts.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellation))
        {
            throw new InvalidOperationException(
                $"The stored data was written to 1 storage account before the number of accounts was recorded, but this silo is configured " +
                $"with {tables.StorageAccounts} (Margin:StorageAccounts). Configure that one account.");
        }
    }
}
