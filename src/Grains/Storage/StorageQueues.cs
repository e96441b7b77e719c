namespace MarginOrleans.Storage;

/// <summary>
/// This silo's storage queues (<see cref="StorageAdmission"/>, one per storage account), and how
/// long a request it sends now waits in them: the longest. None on memory storage, which never queues.
/// </summary>
public sealed class StorageQueues(TimeProvider time)
{
    private readonly List<StorageAdmission> accounts = [];

    /// <summary>Read per fired owner on the tick path: a loop, not a query.</summary>
    public TimeSpan Wait
    {
        get
        {
            var longest = TimeSpan.Zero;
            foreach (var account in accounts)
            {
                var wait = account.QueueWait;
                longest = wait > longest ? wait : longest;
            }

            return longest;
        }
    }

    /// <summary>The queue of one more storage account: at most <paramref name="inFlight"/> rows of its requests at the service at once (a batch counts its rows).</summary>
    public StorageAdmission Add(int inFlight)
    {
        var admission = new StorageAdmission(inFlight, time);
        accounts.Add(admission);
        return admission;
    }
}
