namespace MarginOrleans.Telemetry;

/// <summary>
/// What one Azure Table request is, told from its method, path and If-Match header alone, so that
/// every request is classified the same way whoever sent it (Orleans' grain storage or the engine's
/// own tables). The path's last segment is <c>table(PartitionKey='p',RowKey='r')</c> for one entity,
/// <c>table()</c> or <c>table</c> for a query or an insert, <c>Tables…</c> for the table list and
/// <c>$batch</c> for an entity-group transaction, whose table is only inside its body.
/// </summary>
public readonly record struct StorageOperation(string? Table, string Name, bool Reads)
{
    public const string Batch = "batch";

    public static StorageOperation Of(string method, string path, string? ifMatch)
    {
        var segment = path[(path.TrimEnd('/').LastIndexOf('/') + 1)..].TrimEnd('/');
        if (segment == "$batch")
        {
            return new(null, Batch, false);
        }

        var open = segment.IndexOf('(', StringComparison.Ordinal);
        var table = Uri.UnescapeDataString(open < 0 ? segment : segment[..open]);
        var keyed = open >= 0 && segment.Length - open > 2; // "(…)" with something between the parentheses
        if (table == "Tables")
        {
            return new(table, method switch { "POST" => "create table", "DELETE" => "delete table", _ => "list tables" }, method == "GET");
        }

        // ETag.All is sent as "If-Match: *": unconditional; no If-Match at all is an upsert.
        var condition = ifMatch is null ? "upsert " : ifMatch == "*" ? "" : "conditional ";
        var name = method switch
        {
            "GET" => keyed ? "point read" : "query",
            "PUT" => condition + "replace",
            "PATCH" or "MERGE" => condition + "merge",
            "POST" => "insert",
            "DELETE" => ifMatch is null or "*" ? "delete" : "conditional delete",
            _ => method.ToLowerInvariant(),
        };
        return new(table, name, method == "GET");
    }
}
