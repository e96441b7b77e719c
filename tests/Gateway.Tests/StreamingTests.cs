using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using MarginOrleans.Gateway.Streaming;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static MarginOrleans.Gateway.Tests.GatewayFixture;

namespace MarginOrleans.Gateway.Tests;

/// <summary>The account's events and the marks pushed over server-sent events and WebSocket, with the gRPC stream's resume promise.</summary>
[Collection(GatewayCollection.Name)]
public sealed class StreamingTests(GatewayFixture gateway)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ServerSentEvents_SendTheJournalInOrder_IdsAreSequences_DataAsTheRestJournal()
    {
        var (key, _) = await gateway.Trader("2100");
        await gateway.Positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = Symbol, Side = Side.Long, Quantity = "0.01", Leverage = 10 }, Bearer(key));

        using var cancel = new CancellationTokenSource(Wait);
        using var stream = await EventStreamReader.Open(gateway.Http(), ServerSentEvents.AccountPath + "?from=1", key);
        var events = await stream.Until(e => Kind(e) == "PositionOpened", cancel.Token);

        var journal = (await new RestCalls(gateway.Http()).Get("/v1/accounts/me/journal", key)).GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal([(1L, "Deposit"), (2L, "PositionOpened")], events.Select(e => (e.Id!.Value, Kind(e))));
        Assert.Equal(journal.Select(j => JsonNode.Parse(j.GetRawText())!.ToJsonString()), events.Select(e => e.Data.ToJsonString()));
    }

    [Fact]
    public async Task ServerSentEvents_ResumeAfterLastEventId_WithNothingTwice()
    {
        var (key, _) = await gateway.Trader("500");
        using var cancel = new CancellationTokenSource(Wait);
        long last;
        using (var first = await EventStreamReader.Open(gateway.Http(), ServerSentEvents.AccountPath + "?from=1", key))
        {
            last = (await first.Until(e => Kind(e) == "Deposit", cancel.Token))[^1].Id!.Value;
        }

        await gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = RequestId(), Amount = "20" }, Bearer(key));
        await gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = RequestId(), Amount = "30" }, Bearer(key));

        using var resumed = await EventStreamReader.Open(gateway.Http(), ServerSentEvents.AccountPath + "?from=1", key, ("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var events = await resumed.Until(e => e.Data["walletDelta"]?.GetValue<string>() == "-30", cancel.Token);
        Assert.Equal([(last + 1, "-20"), (last + 2, "-30")], events.Select(e => (e.Id!.Value, e.Data["walletDelta"]!.GetValue<string>())));
    }

    /// <summary>
    /// A stream from now starts its response once its watch is live: a row journaled as soon as the
    /// headers arrive is its first event (headers sent before the watch opened lost it).
    /// </summary>
    [Fact]
    public async Task ServerSentEvents_FromNow_HeadersMeanLive_TheNextRowArrives()
    {
        using var cancel = new CancellationTokenSource(Wait);
        for (var amount = 1; amount <= 5; amount++)
        {
            var (key, _) = await gateway.Trader("500"); // a new account: its watch is opened for the first time
            using var stream = await EventStreamReader.Open(gateway.Http(), ServerSentEvents.AccountPath, key);
            await gateway.Accounts.WithdrawAsync(new WithdrawRequest { RequestId = RequestId(), Amount = $"{amount}" }, Bearer(key));
            Assert.Equal($"-{amount}", (await stream.Next(cancel.Token))!.Data["walletDelta"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task WebSocket_Subscribe_SendsTheSameRows_AsTheJournal()
    {
        var (key, _) = await gateway.Trader("2100");
        await gateway.Positions.OpenPositionAsync(new OpenPositionRequest { RequestId = RequestId(), Symbol = Symbol, Side = Side.Long, Quantity = "0.01", Leverage = 10 }, Bearer(key));
        using var cancel = new CancellationTokenSource(Wait);
        using var socket = await Connect(key, cancel.Token);

        await Send(socket, """{"op":"subscribe","channel":"account","from":1}""", cancel.Token);
        var messages = new List<JsonNode>();
        while (messages.LastOrDefault()?["data"]?["kind"]?.GetValue<string>() != "PositionOpened")
        {
            messages.Add(await Receive(socket, cancel.Token));
        }

        var journal = (await new RestCalls(gateway.Http()).Get("/v1/accounts/me/journal", key)).GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal("""{"op":"subscribed","channel":"account"}""", messages[0].ToJsonString());
        Assert.Equal(journal.Select(j => JsonNode.Parse(j.GetRawText())!.ToJsonString()), messages.Skip(1).Select(m => m["data"]!.ToJsonString()));
        Assert.Equal([1L, 2L], messages.Skip(1).Select(m => m["seq"]!.GetValue<long>()));
        Assert.All(messages.Skip(1), m => Assert.Equal("account", m["channel"]!.GetValue<string>()));
    }

    [Fact]
    public async Task WebSocket_RefusesAKeyInTheUrl()
    {
        var (key, _) = await gateway.Trader("10");
        var refused = await new RestCalls(gateway.Http()).Send(HttpMethod.Get, WebSocketDoor.Path + "?key=" + key);
        Assert.Equal((HttpStatusCode.BadRequest, "key: send the API key in the Authorization header: a key in a URL ends up in logs"),
            (refused.Status, refused.Json.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ARevokedKey_EndsItsServerSentEventStream()
    {
        var (oldKey, accountId) = await gateway.Trader("100");
        var (app, channel) = await gateway.Gateway(new() { ["Gateway:ApiKeyCache:Seconds"] = "1" });
        await using var _ = app;
        using var __ = channel;
        using var cancel = new CancellationTokenSource(Wait);
        using var stream = await EventStreamReader.Open(app.GetTestClient(), ServerSentEvents.AccountPath + "?from=1", oldKey);
        Assert.Equal("Deposit", Kind((await stream.Next(cancel.Token))!)); // the open stream serves the journal

        await gateway.Operations.RotateApiKeyAsync(new RotateApiKeyRequest { AccountId = accountId }, Bearer(gateway.OperatorKey));

        var ended = await stream.Next(cancel.Token);
        Assert.Equal(("error", 16, "unknown API key"), (ended!.Name, ended.Data["code"]!.GetValue<int>(), ended.Data["message"]!.GetValue<string>()));
        Assert.Null(await stream.Next(cancel.Token));
    }

    [Fact]
    public async Task TwoWatchersOfOneAccount_MakeOneSubscription()
    {
        var (key, _) = await gateway.Trader("300");
        var (app, channel) = await gateway.Gateway([]);
        await using var _ = app;
        using var __ = channel;
        var feed = app.Services.GetRequiredService<JournalFeed>();
        using var cancel = new CancellationTokenSource(Wait);
        using var one = await EventStreamReader.Open(app.GetTestClient(), ServerSentEvents.AccountPath + "?from=1", key);
        using var two = await EventStreamReader.Open(app.GetTestClient(), ServerSentEvents.AccountPath + "?from=1", key);
        Assert.Equal("Deposit", Kind((await one.Next(cancel.Token))!));
        Assert.Equal("Deposit", Kind((await two.Next(cancel.Token))!));

        await new Api.V1.Accounts.AccountsClient(channel).WithdrawAsync(new WithdrawRequest { RequestId = RequestId(), Amount = "5" }, Bearer(key));
        Assert.Equal("-5", (await one.Next(cancel.Token))!.Data["walletDelta"]!.GetValue<string>()); // pushed: both watchers are live
        Assert.Equal("-5", (await two.Next(cancel.Token))!.Data["walletDelta"]!.GetValue<string>());
        Assert.Equal(1, feed.Subscriptions);
    }

    private static string? Kind(ServerSentEvent e) => e.Data["kind"]?.GetValue<string>();

    private async Task<WebSocket> Connect(string key, CancellationToken cancel)
    {
        var client = gateway.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Authorization = "Bearer " + key;
        var uri = new UriBuilder(new Uri(gateway.Server.BaseAddress, WebSocketDoor.Path)) { Scheme = "ws" }.Uri;
        return await client.ConnectAsync(uri, cancel);
    }

    private static Task Send(WebSocket socket, string json, CancellationToken cancel) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancel);

    private static async Task<JsonNode> Receive(WebSocket socket, CancellationToken cancel)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        ValueWebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer.AsMemory(count), cancel);
            count += received.Count;
        }
        while (!received.EndOfMessage);

        return JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, count))!;
    }
}
