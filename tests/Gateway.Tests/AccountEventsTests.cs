using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>The account's live events, resumable by journal sequence, with margin calls.</summary>
[Collection(GatewayCollection.Name)]
public sealed class AccountEventsTests(GatewayFixture gateway)
{
    /// <summary>
    /// Cross long 1 BTC at 20,000, 10x, wallet 2,090 after margin and fee. At 17,990 the margin
    /// balance is 80 and MM 0.4% × 17,990 = 71.96: ratio 0.8995, past the 80% call, short of liquidation.
    /// </summary>
    [Fact]
    public async Task TheStream_ResumesFromASequence_WithoutGapOrDuplicate_AndCallsTheMargin()
    {
        var symbol = "E" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-USDT";
        await gateway.Market(symbol, "20000");
        var (key, _) = await gateway.Trader("2100");
        var auth = Bearer(key);
        await gateway.Accounts.SetMarginModeAsync(new SetMarginModeRequest { RequestId = RequestId(), Symbol = symbol, MarginMode = MarginMode.Cross }, auth);

        var first = await Read(auth, fromSequence: 1, until: e => e.Entry?.Kind == "MarginModeSet");
        Assert.Equal((symbol, "0", MarginMode.Cross, 0), (first[^1].Entry.Symbol, first[^1].Entry.Quantity, first[^1].Entry.MarginMode, first[^1].Entry.Leverage));

        // Disconnected: an open and a falling mark happen meanwhile.
        await gateway.Positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = symbol, Side = Side.Long, Quantity = "1", Leverage = 10 }, auth);
        await gateway.Price("17990", symbol);

        var rest = await Read(auth, fromSequence: first[^1].Sequence + 1, until: e => e.MarginCall is not null);
        var journal = (await gateway.Accounts.GetJournalAsync(new GetJournalRequest(), auth)).Entries;
        Assert.Equal(journal.Select(e => (e.Sequence, e.Kind)), first.Concat(rest).Where(e => e.Entry is not null).Select(e => (e.Sequence, e.Entry.Kind)));
        Assert.Equal("PositionOpened", rest.First().Entry.Kind);
        var call = Assert.Single(rest, e => e.MarginCall is not null);
        Assert.Equal(("", "0.8995", journal[^1].Sequence), (call.MarginCall.Symbol, call.MarginCall.Ratio, call.Sequence));
    }

    [Fact]
    public async Task FromSequenceZero_SendsOnlyWhatHappensAfterwards()
    {
        var (key, accountId) = await gateway.Trader("500");
        var auth = Bearer(key);
        var asked = EngineActivity.Of(gateway.Grains).Answered(accountId, nameof(MarginOrleans.Accounts.IAccountGrain.GetAccount));
        using var stream = gateway.Accounts.StreamAccountEvents(new StreamAccountEventsRequest(), auth);
        var reading = stream.ResponseStream.MoveNext(CancellationToken.None);
        await asked.WaitAsync(TimeSpan.FromSeconds(10)); // the stream has read where the journal ends
        await gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = RequestId(), Amount = "20" }, auth);

        Assert.True(await reading.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(("Withdrawal", "-20"), (stream.ResponseStream.Current.Entry.Kind, stream.ResponseStream.Current.Entry.WalletDelta));
    }

    private async Task<List<AccountEvent>> Read(Metadata auth, long fromSequence, Func<AccountEvent, bool> until)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var stream = gateway.Accounts.StreamAccountEvents(new StreamAccountEventsRequest { FromSequence = fromSequence }, auth, cancellationToken: cancel.Token);
        var events = new List<AccountEvent>();
        await foreach (var e in stream.ResponseStream.ReadAllAsync(cancel.Token))
        {
            events.Add(e);
            if (until(e))
            {
                break;
            }
        }

        return events;
    }
}
