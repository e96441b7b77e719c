using System.Text.Json;

namespace MarginOrleans.Gateway.Streaming;

/// <summary>A WebSocket client's message: <c>{"op":"subscribe"|"unsubscribe","channel":"account"|"marks","symbol":"BTC-USDT","from":12}</c>.</summary>
public sealed record WebSocketRequest(string Op, string Channel, string Symbol, long From)
{
    public const string Account = "account";

    public const string Marks = "marks";

    /// <summary>The message, or InvalidArgument naming the member that is wrong.</summary>
    public static WebSocketRequest Parse(ReadOnlyMemory<byte> message)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(message).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Fields.Invalid("message", "must be a JSON object");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Fields.Invalid("message", "must be a JSON object");
        }

        var op = Text(root, "op");
        var channel = Text(root, "channel");
        if (op is not ("subscribe" or "unsubscribe"))
        {
            throw Fields.Invalid("op", "must be subscribe or unsubscribe");
        }

        if (channel is not (Account or Marks))
        {
            throw Fields.Invalid("channel", "must be account or marks");
        }

        var symbol = Text(root, "symbol");
        if (channel == Marks && symbol.Length == 0)
        {
            throw Fields.Invalid("symbol", "the marks channel needs a symbol");
        }

        var from = root.TryGetProperty("from", out var f) ? f.ValueKind == JsonValueKind.Number && f.TryGetInt64(out var n) && n >= 0 ? n
            : throw Fields.Invalid("from", "must be a journal sequence: a whole number, 0 or more") : 0;
        return new WebSocketRequest(op, channel, symbol.ToUpperInvariant(), from);
    }

    private static string Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? ""
        : value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Fields.Invalid(name, "must be a JSON string");
}
