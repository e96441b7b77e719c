using Azure;
using Azure.Data.Tables;

namespace MarginOrleans.LoadTest;

/// <summary>
/// One kind of Azure Table write, as the engine sends it, for the storage floor. Each worker is
/// prepared once on a partition of its own (a grain's state is its own partition, an account's
/// journal too), then sends the write again and again; the row carries <see cref="PayloadBytes"/>
/// of binary data, about a grain state's size.
/// </summary>
public sealed record FloorOperation(string Name, Func<TableClient, string, Task<Func<Task>>> Prepare, IReadOnlyList<string> RowKeys)
{
    public const int PayloadBytes = 512;

    /// <summary>What Orleans' grain storage sends for every state write: Replace, conditional on the ETag it last read.</summary>
    public static readonly FloorOperation ConditionalReplace = new("conditional replace (ETag)", async (table, partition) =>
    {
        var row = Row(partition, "state");
        var etag = (await table.UpsertEntityAsync(row, TableUpdateMode.Replace)).Headers.ETag!.Value;
        return async () => etag = (await table.UpdateEntityAsync(row, etag, TableUpdateMode.Replace)).Headers.ETag!.Value;
    }, ["state"]);

    public static readonly FloorOperation Merge = new("merge (If-Match *)", async (table, partition) =>
    {
        var row = Row(partition, "state");
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace);
        return async () => await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge);
    }, ["state"]);

    /// <summary>An entity-group transaction of one row: a journal write of one entry.</summary>
    public static readonly FloorOperation OneRowBatch = Batch("transaction, 1 row", 1);

    /// <summary>Two rows in one partition: a journal entry and its command's request row.</summary>
    public static readonly FloorOperation TwoRowBatch = Batch("transaction, 2 rows", 2);

    /// <summary>
    /// One row into a partition that holds <see cref="Resident"/> rows already, as a fund's transfer rows or a
    /// trigger shard's entries do mid-cascade: Azure Table finds a row by its keys' index, Azurite by comparing
    /// the row key of every row in the partition.
    /// </summary>
    public static readonly FloorOperation OneRowBatchBesideMany = new($"transaction, 1 row, in a partition of {Resident:N0} rows", async (table, partition) =>
    {
        foreach (var rows in ResidentKeys.Chunk(100))
        {
            await table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(partition, row))));
        }

        var written = new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(partition, "row-0"));
        return async () => await table.SubmitTransactionAsync([written]);
    }, ["row-0", .. ResidentKeys]);

    public static IReadOnlyList<FloorOperation> All => [ConditionalReplace, Merge, OneRowBatch, TwoRowBatch, OneRowBatchBesideMany];

    private const int Resident = 2_000;

    private static IReadOnlyList<string> ResidentKeys => [.. Enumerable.Range(0, Resident).Select(i => $"resident-{i:D6}")];

    /// <summary>An entity-group transaction of <paramref name="rows"/> rows in one partition (at most 100).</summary>
    public static FloorOperation Batch(string name, int rows) => new(name, (table, partition) =>
    {
        var actions = Enumerable.Range(0, rows)
            .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(partition, $"row-{i}"))).ToList();
        return Task.FromResult<Func<Task>>(async () => await table.SubmitTransactionAsync(actions));
    }, [.. Enumerable.Range(0, rows).Select(i => $"row-{i}")]);

    private static TableEntity Row(string partition, string row) => new(partition, row) { ["Data"] = new byte[PayloadBytes] };
}
