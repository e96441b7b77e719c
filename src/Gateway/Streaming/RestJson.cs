using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MarginOrleans.Gateway.Streaming;

/// <summary>
/// A message as the REST routes render it (JSON transcoding's settings): every field written,
/// enums by name, decimals as the strings they are, 64-bit integers as JSON numbers. Protobuf's own
/// formatter writes those as strings, so they are turned back into numbers here.
/// </summary>
public static class RestJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static JsonObject Node(IMessage message)
    {
        var node = JsonNode.Parse(Formatter.Format(message))!.AsObject();
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder().Where(f => !f.IsRepeated))
        {
            if (node[field.JsonName] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                node[field.JsonName] = field.FieldType switch
                {
                    FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
                    FieldType.UInt64 or FieldType.Fixed64 => JsonValue.Create(ulong.Parse(text, CultureInfo.InvariantCulture)),
                    _ => node[field.JsonName]?.DeepClone(),
                };
            }
        }

        return node;
    }

    public static string Format(IMessage message) => Node(message).ToJsonString();
}
