namespace MarginOrleans.Markets;

/// <summary>Trigger-index owner keys: distinct for an account's isolated position and its cross band on one symbol.</summary>
public static class TriggerOwner
{
    private const string CrossPrefix = "x:";

    public static string Cross(string accountId) => CrossPrefix + accountId;

    /// <summary>The account of a cross band's owner key, or null for an isolated position's.</summary>
    public static string? CrossAccount(string owner) =>
        owner.StartsWith(CrossPrefix, StringComparison.Ordinal) ? owner[CrossPrefix.Length..] : null;
}
