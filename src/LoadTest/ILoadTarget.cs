namespace MarginOrleans.LoadTest;

/// <summary>The commands a load run sends, through the gateway (gRPC) or an Orleans client.</summary>
public interface ILoadTarget : IAsyncDisposable
{
    Task CreateMarket(string symbol, decimal startPrice, int triggerShards);

    /// <summary>Publishes a mark; returns how many triggers it fired.</summary>
    Task<int> PublishPrice(string symbol, decimal mark);

    /// <summary>Entries left in the market's trigger index (a liquidated position's entry leaves once fully delivered).</summary>
    Task<int> TriggerCount(string symbol);

    /// <summary>Creates the account; returns its API key (empty through an Orleans client).</summary>
    Task<string> CreateAccount(string accountId);

    Task Deposit(string accountId, decimal amount);

    /// <summary>Opens an isolated long; returns its liquidation price.</summary>
    Task<decimal> OpenLong(Trader trader, string symbol, decimal quantity, int leverage);

    /// <summary>When the account's journal shows the symbol's liquidation, or null.</summary>
    Task<DateTimeOffset?> LiquidationTime(Trader trader, string symbol);

    Task<decimal> AuditDiscrepancy();
}

public sealed record Trader(string AccountId, string ApiKey);
