using MarginOrleans.Markets;
using MarginOrleans.Orders;
using MarginOrleans.Positions;

namespace MarginOrleans.Accounts;

[GenerateSerializer, Alias("AccountState")]
public sealed class AccountState
{
    /// <summary>How many request ids an account remembers; a retry older than that runs again.</summary>
    public const int RequestWindow = 128;

    /// <summary>
    /// Open conditional orders an account may hold (Binance's per-symbol limit, here per account): the
    /// state is one storage row of at most 960 KB, and an order takes about 200 B of it.
    /// </summary>
    public const int OpenOrdersMax = 200;

    [Id(0)] public bool Created { get; set; }
    [Id(1)] public string CreateRequestId { get; set; } = "";
    [Id(2)] public decimal WalletBalance { get; set; }
    [Id(3)] public decimal HouseLeg { get; set; }
    [Id(4)] public decimal Deposits { get; set; }
    [Id(5)] public decimal Withdrawals { get; set; }
    [Id(6)] public Dictionary<string, int> Leverage { get; set; } = [];

    /// <summary>Every isolated position (the text of its <see cref="LegKey"/>) this account ever held; closed positions still hold house legs.</summary>
    [Id(7)] public List<string> IsolatedLegs { get; set; } = [];
    [Id(8)] public long CommandSequence { get; set; }
    [Id(9)] public PendingCommand? Pending { get; set; }
    [Id(10)] public long JournalSequence { get; set; }

    /// <summary>Journal rows committed with this state but not yet confirmed written to the journal table.</summary>
    [Id(11)] public List<JournalEntry> UnwrittenJournal { get; set; } = [];
    [Id(12)] public Dictionary<string, CommandResult> Results { get; set; } = [];
    [Id(13)] public Queue<string> ResultOrder { get; set; } = new();
    [Id(14)] public Dictionary<string, MarginMode> MarginModes { get; set; } = [];
    /// <summary>The open cross positions by the text of their <see cref="LegKey"/>.</summary>
    [Id(15)] public Dictionary<string, CrossPosition> CrossPositions { get; set; } = [];

    /// <summary>The trader's own leverage cap; 0 when none is set.</summary>
    [Id(16)] public int LeverageCap { get; set; }

    /// <summary>A cross liquidation's transfer to the one shared fund, recorded before funds were per market; moved to <see cref="PendingFundTransfers"/> when sent.</summary>
    [Id(17)] public FundTransfer? PendingFundTransfer { get; set; }
    [Id(18)] public int CrossLiquidations { get; set; }

    /// <summary>Per isolated position (its <see cref="LegKey"/> text), the number of the last event journaled: events arrive at least once, in order.</summary>
    [Id(19)] public Dictionary<string, int> JournaledEvents { get; set; } = [];

    /// <summary>A cross liquidation's transfers to the funds of the symbols it closed, recorded before they are sent.</summary>
    [Id(20)] public List<FundTransfer> PendingFundTransfers { get; set; } = [];

    /// <summary>What each remembered request id asked for (its command and arguments), to refuse the id's reuse for another command.</summary>
    [Id(21)] public Dictionary<string, string> Fingerprints { get; set; } = [];

    /// <summary>Request ids committed with the last state write and not yet in their durable rows (written with the journal).</summary>
    [Id(22)] public List<RequestRecord> UnwrittenRequests { get; set; } = [];

    /// <summary>The hash of the account's API key (never the key), so a rotation can revoke it.</summary>
    [Id(23)] public string ApiKeyHash { get; set; } = "";

    /// <summary>Hashes of rotated-out keys not yet revoked: written with the new hash, revoked until none is left.</summary>
    [Id(24)] public List<string> KeysToRevoke { get; set; } = [];

    /// <summary>The wallet as the newest journal row left it; null in state written before it was kept.</summary>
    [Id(25)] public decimal? JournaledWallet { get; set; }

    [Id(26)] public PositionMode PositionMode { get; set; }

    /// <summary>The conditional orders waiting in the markets' trigger indexes, by order id.</summary>
    [Id(27)] public Dictionary<long, PlacedOrder> Orders { get; set; } = [];

    /// <summary>The last order id given: ids are never reused.</summary>
    [Id(28)] public long OrderSequence { get; set; }

    /// <summary>The key names this account (<see cref="Operations.ApiKeys.NewKey(string)"/>): its hash here is all of it, with no key grain to revoke.</summary>
    [Id(29)] public bool ApiKeyNamesAccount { get; set; }

    /// <summary>
    /// Never stored: this state was not read but assumed new (<see cref="MarginOrleans.AssumedNew"/>). Only the
    /// create that assumed it may act on it; anything else reads the stored state first.
    /// </summary>
    [NonSerialized] public bool Assumed;

    public MarginMode ModeOf(string symbol) => MarginModes.GetValueOrDefault(symbol, MarginMode.Isolated);

    /// <summary>The symbols with an open cross position.</summary>
    public IEnumerable<string> CrossSymbols => CrossPositions.Keys.Select(k => LegKey.Parse(k).Symbol).Distinct();

    public CrossPosition? CrossAt(LegKey leg) => CrossPositions.GetValueOrDefault(leg.ToString());

    /// <summary>Remembers a command's reply in the window, and queues its durable row (the window only saves a read).</summary>
    public void Remember(string requestId, CommandResult result, string fingerprint)
    {
        if (Results.TryAdd(requestId, result))
        {
            ResultOrder.Enqueue(requestId);
            Fingerprints[requestId] = fingerprint;
            UnwrittenRequests.Add(new RequestRecord(requestId, fingerprint, result));
        }

        while (ResultOrder.Count > RequestWindow)
        {
            var old = ResultOrder.Dequeue();
            (_, _) = (Results.Remove(old), Fingerprints.Remove(old));
        }
    }
}
