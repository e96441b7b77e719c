namespace MarginOrleans.Accounts;

/// <summary>How a request id's row is written in the account's batch.</summary>
[Alias("RequestRowWrite")]
public enum RequestRowWrite
{
    /// <summary>Written whatever is there: the id was checked against the window or its row.</summary>
    Upsert = 0,

    /// <summary>
    /// Inserted only if absent: the id was not checked (the window forgot ids before, and reading the
    /// row would cost every command a read), so the batch fails whole if the id already has a row.
    /// </summary>
    Insert = 1,

    /// <summary>Deleted: the claim of a command that kept no id.</summary>
    Delete = 2,
}
