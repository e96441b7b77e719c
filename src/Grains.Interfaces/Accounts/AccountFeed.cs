namespace MarginOrleans.Accounts;

/// <summary>How long a watch lasts, and how often a watcher renews it to be safe.</summary>
public static class AccountFeed
{
    /// <summary>An account forgets a watcher not renewed for this long: a gateway that died stops costing it pushes.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(3);

    /// <summary>A third of <see cref="Expiry"/>: two renewals may fail before the watch lapses.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);
}
