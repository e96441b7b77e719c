using System.Linq.Expressions;
using Azure;
using Azure.Data.Tables;

namespace MarginOrleans.Storage;

/// <summary>
/// One table in memory, ordered like Azure Table (partition, then row key), with the handful of
/// operations the stores use. Lets a silo run engine-bound, without storage I/O, for measurement.
/// </summary>
public sealed class MemoryTableClient : TableClient
{
    private static readonly string RowMax = new('\uffff', 4);

    private readonly Dictionary<(string Partition, string Row), TableEntity> rows = [];
    private readonly SortedSet<(string Partition, string Row)> keys = new(Ordinal.Instance);

    public override Task<Response<Azure.Data.Tables.Models.TableItem>> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<Response<Azure.Data.Tables.Models.TableItem>>(null!);

    public override Task<Response> UpsertEntityAsync<T>(T entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        Put((TableEntity)(object)entity);
        return Task.FromResult<Response>(null!);
    }

    public override Task<Response<IReadOnlyList<Response>>> SubmitTransactionAsync(IEnumerable<TableTransactionAction> transactionActions, CancellationToken cancellationToken = default)
    {
        lock (rows)
        {
            foreach (var action in transactionActions)
            {
                var entity = (TableEntity)action.Entity;
                if (action.ActionType == TableTransactionActionType.Delete)
                {
                    rows.Remove((entity.PartitionKey, entity.RowKey));
                    keys.Remove((entity.PartitionKey, entity.RowKey));
                }
                else
                {
                    Put(entity);
                }
            }
        }

        return Task.FromResult<Response<IReadOnlyList<Response>>>(null!);
    }

    public override AsyncPageable<T> QueryAsync<T>(Expression<Func<T, bool>> filter, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var matches = filter.Compile();
        return Pages<T>(e => matches(e), PartitionOf(filter.Body));
    }

    public override AsyncPageable<T> QueryAsync<T>(string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        filter is null ? Pages<T>(_ => true, null) : throw new NotSupportedException("string filters are not supported in memory");

    /// <summary>The partition a filter pins with <c>PartitionKey == value</c>, so a query reads that partition, not the table.</summary>
    private static string? PartitionOf(Expression body) => body switch
    {
        BinaryExpression { NodeType: ExpressionType.AndAlso } both => PartitionOf(both.Left) ?? PartitionOf(both.Right),
        BinaryExpression { NodeType: ExpressionType.Equal, Left: MemberExpression { Member.Name: nameof(ITableEntity.PartitionKey) } } equal
            => Expression.Lambda<Func<string>>(equal.Right).Compile()(),
        _ => null,
    };

    private AsyncPageable<T> Pages<T>(Func<T, bool> matches, string? partition)
        where T : class, ITableEntity
    {
        List<T> found;
        lock (rows)
        {
            var candidates = partition is null ? keys.Select(k => rows[k]) : Partition(partition);
            found = [.. candidates.Cast<T>().Where(matches)];
        }

        return AsyncPageable<T>.FromPages([Page<T>.FromValues(found, null, null!)]);
    }

    private IEnumerable<TableEntity> Partition(string partition) =>
        keys.GetViewBetween((partition, ""), (partition, RowMax)).Select(k => rows[k]);

    private void Put(TableEntity entity)
    {
        lock (rows)
        {
            rows[(entity.PartitionKey, entity.RowKey)] = entity;
            keys.Add((entity.PartitionKey, entity.RowKey));
        }
    }

    private sealed class Ordinal : IComparer<(string Partition, string Row)>
    {
        public static readonly Ordinal Instance = new();

        public int Compare((string Partition, string Row) x, (string Partition, string Row) y)
        {
            var byPartition = string.CompareOrdinal(x.Partition, y.Partition);
            return byPartition != 0 ? byPartition : string.CompareOrdinal(x.Row, y.Row);
        }
    }
}
