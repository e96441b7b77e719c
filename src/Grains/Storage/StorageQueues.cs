namespace MarginOrleans.Storage;

/// <summary>
/// This silo's storage queues (<see cref="StorageAdmission"/>, one per storage account), and how
/// long a request it sends now waits in them: the longest. None on memory storage, which never queues.
/// </summary>
public sealed class StorageQueues(TimeProvider time)
{
    private readonly List<StorageAdmission> accounts = [];

    public TimeSpan Wait => accounts.Count == 0 ? TimeSpan.Zero : accounts.Max(account => account.QueueWait);

    /// <summary>The queue of one more storage account: at most <paramref name="inFlight"/> of its requests at the service at once.</summary>
    public StorageAdmission Add(int inFlight)
    {
        var admission = new StorageAdmission(inFlight, time);
        accounts.Add(admission);
        return admission;
    }
}
