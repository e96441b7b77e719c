namespace MarginOrleans.Tests.Accounts;

/// <summary>The exactly-once rule on its own: no cluster, the durable row read from a dictionary.</summary>
public sealed class RequestLogTests
{
    private static readonly CommandResult Accepted = new(Rejected.Ok, 90m, 0m, 0m, 0m, null);
    private static readonly CommandResult Insufficient = CommandResult.Refused(new Rejected(Rejection.InsufficientBalance, "too much"), 100m);

    private readonly AccountState state = new() { WalletBalance = 100m };
    private readonly Dictionary<string, RequestRecord> rows = [];

    private RequestLog Log => new(state, id => Task.FromResult(rows.GetValueOrDefault(id)));

    [Fact]
    public async Task AKeptAnswer_IsTheReplyToItsId_AndTheSameIdAskingOtherwiseIsReused()
    {
        Assert.True(Log.Keep("r1", Accepted, "Withdraw[10]"));

        Assert.Equal(Accepted, await Log.Earlier("r1", "Withdraw[10]"));
        var other = (await Log.Earlier("r1", "Withdraw[11]"))!;
        Assert.Equal((Rejection.RequestIdReused, "request id r1 was already used for another command (Withdraw): use a new id", 100m),
            (other.Result.Reason, other.Result.Detail, other.WalletBalance));
        Assert.Null(await Log.Earlier("r2", "Withdraw[10]"));
    }

    [Fact]
    public async Task ARefusalCheckedAgainstTheAccount_IsKept_AMalformedOneIsNot()
    {
        Assert.True(Log.Keep("checked", Insufficient, "Withdraw[900]"));
        Assert.False(Log.Keep("malformed", CommandResult.Refused(new Rejected(Rejection.AmountNotPositive, "zero"), 100m), "Withdraw[0]"));

        Assert.Equal(Insufficient, await Log.Earlier("checked", "Withdraw[900]"));
        Assert.Null(await Log.Earlier("malformed", "Withdraw[1]"));
    }

    [Fact]
    public async Task AnIdBeyondTheWindow_IsAnsweredFromItsDurableRow()
    {
        rows["old"] = new RequestRecord("old", "Deposit[5]", Accepted);
        for (var i = 0; i <= AccountState.RequestWindow; i++)
        {
            Log.Keep($"later-{i}", Accepted, "Deposit[1]");
        }

        Assert.Equal(Accepted, await Log.Earlier("old", "Deposit[5]"));
        Assert.Equal(Rejection.RequestIdReused, (await Log.Earlier("old", "Deposit[6]"))!.Result.Reason);
    }

    /// <summary>A window that never overflowed holds every id the account kept: a new id reads no row.</summary>
    [Fact]
    public async Task AWindowThatNeverForgot_ReadsNoRow()
    {
        var reads = 0;
        var log = new RequestLog(state, id => { reads++; return Task.FromResult(rows.GetValueOrDefault(id)); });
        for (var i = 0; i < AccountState.RequestWindow - 1; i++)
        {
            log.Keep($"r{i}", Accepted, "Deposit[1]");
        }

        Assert.Null(await log.Earlier("new", "Deposit[1]"));
        Assert.Equal(0, reads);

        log.Keep("last", Accepted, "Deposit[1]");
        Assert.Null(await log.Earlier("new", "Deposit[1]"));
        Assert.Equal(1, reads);
    }
}
