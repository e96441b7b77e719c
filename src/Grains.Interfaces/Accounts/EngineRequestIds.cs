namespace MarginOrleans.Accounts;

/// <summary>Request ids the engine gives the commands it starts itself (a take-profit's close); no client may send one.</summary>
public static class EngineRequestIds
{
    public const string Prefix = "engine:";
}
